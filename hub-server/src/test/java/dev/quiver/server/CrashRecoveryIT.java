package dev.quiver.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.db.RepoEvent;
import dev.quiver.server.repo.RepoId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a hub process with SIGKILL in the middle of LFS uploads and commits, restarts it on the same
 * data, and checks that nothing acknowledged was lost and nothing half-written is visible.
 */
class CrashRecoveryIT {
    static final String TOKEN = TestHub.ADMIN_TOKEN;

    @Test
    void acknowledgedWritesSurviveSigkillAndNothingHalfWrittenIsVisible(@TempDir Path data) throws Exception {
        Process server = startServerProcess(data);
        String url = awaitListening(server);
        HttpClient http = HttpClient.newHttpClient();
        post(http, url + "/api/repos/create", "application/json", "{\"name\":\"crashy\",\"organization\":\"acme\"}");
        ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            writers.add(Thread.ofVirtual().start(() -> writeUntilKilled(http, url, writer, acknowledged)));
        }
        while (acknowledged.size() < 12) {
            Thread.sleep(20);
        }
        server.destroyForcibly(); // SIGKILL: no shutdown hooks, no flushing
        server.waitFor(30, TimeUnit.SECONDS);
        for (Thread t : writers) {
            t.join(30_000);
        }

        try (TestHub hub = TestHub.restart(data)) {
            Repository git = hub.hub().repos().git(new RepoId(RepoType.MODEL, "acme", "crashy"));
            Set<String> history = new java.util.HashSet<>();
            try (RevWalk walk = new RevWalk(git)) {
                walk.markStart(walk.parseCommit(git.resolve("refs/heads/main")));
                for (RevCommit c : walk) {
                    history.add(c.name());
                }
            }
            assertThat(history).containsAll(acknowledged);
            Set<String> events = hub.hub().outbox().after(0, 100_000).stream()
                    .filter(e -> e.kind() == RepoEvent.Kind.REF_UPDATED).map(RepoEvent::newId).collect(Collectors.toSet());
            assertThat(events).containsAll(acknowledged);
            Process fsck = new ProcessBuilder("git", "fsck", "--full", "--strict").directory(
                    hub.hub().repos().gitDir(new RepoId(RepoType.MODEL, "acme", "crashy")).toFile())
                    .redirectErrorStream(true).start();
            String fsckOut = new String(fsck.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(fsck.waitFor()).as(fsckOut).isZero();
            try (Stream<Path> blobs = Files.walk(data.resolve("lfs/objects"))) {
                for (Path blob : blobs.filter(Files::isRegularFile).toList()) {
                    assertThat(sha256(Files.readAllBytes(blob))).as("blob " + blob).isEqualTo(blob.getFileName().toString());
                }
            }
        }
    }

    private static void writeUntilKilled(HttpClient http, String url, int writer, ConcurrentLinkedQueue<String> acked) {
        try {
            for (int c = 0; ; c++) {
                byte[] big = new byte[256 * 1024 + ThreadLocalRandom.current().nextInt(1024)];
                ThreadLocalRandom.current().nextBytes(big);
                String oid = sha256(big);
                HttpResponse<String> batch = post(http, url + "/acme/crashy.git/info/lfs/objects/batch",
                        "application/vnd.git-lfs+json", "{\"operation\":\"upload\",\"objects\":[{\"oid\":\"" + oid
                                + "\",\"size\":" + big.length + "}]}");
                Matcher m = Pattern.compile("\"upload\":\\{\"href\":\"([^\"]+)\"").matcher(batch.body());
                if (m.find()) {
                    http.send(HttpRequest.newBuilder(URI.create(m.group(1))).PUT(HttpRequest.BodyPublishers.ofByteArray(big))
                            .build(), HttpResponse.BodyHandlers.ofString());
                }
                String ndjson = "{\"key\":\"header\",\"value\":{\"summary\":\"w" + writer + " c" + c + "\"}}\n"
                        + "{\"key\":\"lfsFile\",\"value\":{\"path\":\"w" + writer + "/" + c + ".bin\",\"algo\":\"sha256\",\"oid\":\""
                        + oid + "\",\"size\":" + big.length + "}}\n"
                        + "{\"key\":\"file\",\"value\":{\"path\":\"w" + writer + "/" + c + ".txt\",\"content\":\"aGk=\"}}\n";
                HttpResponse<String> commit = post(http, url + "/api/models/acme/crashy/commit/main", "application/x-ndjson", ndjson);
                Matcher oidMatch = Pattern.compile("\"commitOid\":\"([0-9a-f]{40})\"").matcher(commit.body());
                if (commit.statusCode() == 200 && oidMatch.find()) {
                    acked.add(oidMatch.group(1));
                }
            }
        } catch (IOException | InterruptedException e) {
            // the server was killed: this writer stops; only what was acknowledged counts
        }
    }

    private static HttpResponse<String> post(HttpClient http, String url, String type, String body)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Process startServerProcess(Path data) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--port", "0", "--data", data.toString());
        pb.environment().put("QUIVER_ADMIN_TOKEN", TOKEN);
        pb.redirectErrorStream(true);
        return pb.start();
    }

    private static String awaitListening(Process server) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("Quiver hub listening on ")) {
                Thread.ofVirtual().start(() -> out.lines().forEach(l -> { }));
                return line.substring("Quiver hub listening on ".length()).strip();
            }
        }
        throw new IllegalStateException("hub process exited before listening");
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
