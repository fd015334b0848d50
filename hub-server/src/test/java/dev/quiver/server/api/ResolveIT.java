package dev.quiver.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.TestHub;
import dev.quiver.server.repo.RepoId;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ResolveIT {
    static TestHub hub;
    static String sha;
    static String firstSha;
    static final byte[] BIG = new byte[3 * 1024 * 1024 + 17];
    static final String CONFIG = "{\"model_type\": \"llama\"}\n";

    @BeforeAll
    static void start() {
        hub = TestHub.start();
        new Random(7).nextBytes(BIG);
        hub.createRepo("model", "acme/files");
        firstSha = RepoContent.in(hub, "acme/files").file("config.json", CONFIG).file("empty.txt", new byte[0])
                .commit();
        sha = RepoContent.in(hub, "acme/files").file("dir/notes.md", "# notes\n").lfs("weights.bin", BIG)
                .lfs("empty-lfs.bin", new byte[0]).commit();
        RepoContent.in(hub, "acme/files").ref("refs/pr/1", firstSha);
        RepoContent.in(hub, "acme/files").ref("refs/heads/feature/x", firstSha);
        RepoContent.in(hub, "acme/files").ref("refs/tags/v1", firstSha);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    static HttpResponse<byte[]> send(String method, String path, String... headers) {
        HttpRequest.Builder b = hub.request(path).method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return hub.http().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String h(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    @Test
    void aRegularFileAnswersHeadAndGetWithEveryHeaderThePythonClientNeeds() {
        String etag = "\"" + RepoContent.gitBlobId(CONFIG.getBytes(StandardCharsets.UTF_8)) + "\"";
        for (String method : new String[] {"HEAD", "GET"}) {
            HttpResponse<byte[]> r = send(method, "/acme/files/resolve/main/config.json", "Accept-Encoding", "identity");
            assertThat(r.statusCode()).as(method).isEqualTo(200);
            assertThat(h(r, "X-Repo-Commit")).isEqualTo(sha);
            assertThat(h(r, "ETag")).isEqualTo(etag);
            assertThat(h(r, "Content-Length")).isEqualTo(Integer.toString(CONFIG.length()));
            assertThat(h(r, "Accept-Ranges")).isEqualTo("bytes");
            assertThat(h(r, "X-Linked-Size")).isNull();
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(method.equals("GET") ? CONFIG : "");
        }
    }

    @Test
    void anLfsFileIsServedWhole_withItsSha256AsEtagAndLinkedHeaders() {
        String etag = "\"" + RepoContent.sha256(BIG) + "\"";
        HttpResponse<byte[]> head = send("HEAD", "/acme/files/resolve/main/weights.bin");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(h(head, "ETag")).isEqualTo(etag);
        assertThat(h(head, "X-Linked-Etag")).isEqualTo(etag);
        assertThat(h(head, "X-Linked-Size")).isEqualTo(Integer.toString(BIG.length));
        assertThat(h(head, "Content-Length")).isEqualTo(Integer.toString(BIG.length));
        assertThat(h(head, "X-Repo-Commit")).isEqualTo(sha);
        assertThat(head.body()).isEmpty();

        HttpResponse<byte[]> get = send("GET", "/acme/files/resolve/" + sha + "/weights.bin");
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(BIG);
        assertThat(h(get, "ETag")).isEqualTo(etag);
    }

    @Test
    void rawOfAnLfsFileIsItsPointer() {
        HttpResponse<byte[]> r = send("GET", "/acme/files/raw/main/weights.bin");
        assertThat(r.statusCode()).isEqualTo(200);
        String pointer = new String(r.body(), StandardCharsets.US_ASCII);
        assertThat(pointer).isEqualTo("version https://git-lfs.github.com/spec/v1\noid sha256:" + RepoContent.sha256(BIG)
                + "\nsize " + BIG.length + "\n");
        assertThat(h(r, "ETag")).isEqualTo("\"" + RepoContent.gitBlobId(r.body()) + "\"");
        assertThat(h(r, "X-Linked-Etag")).isNull();
        assertThat(send("HEAD", "/acme/files/raw/main/weights.bin").statusCode()).isEqualTo(200);
    }

    @Test
    void singleRangesGive206WithContentRange() {
        int n = BIG.length;
        record Case(String range, int first, int last) {
        }
        for (Case c : new Case[] {new Case("bytes=0-0", 0, 0), new Case("bytes=10-19", 10, 19),
                new Case("bytes=" + (n - 5) + "-", n - 5, n - 1), new Case("bytes=-7", n - 7, n - 1),
                new Case("bytes=100-" + (n + 1000), 100, n - 1), new Case("bytes=-" + (n + 5), 0, n - 1)}) {
            HttpResponse<byte[]> r = send("GET", "/acme/files/resolve/main/weights.bin", "Range", c.range());
            assertThat(r.statusCode()).as(c.range()).isEqualTo(206);
            assertThat(h(r, "Content-Range")).as(c.range()).isEqualTo("bytes " + c.first() + "-" + c.last() + "/" + n);
            assertThat(r.body()).as(c.range()).isEqualTo(Arrays.copyOfRange(BIG, c.first(), c.last() + 1));
            assertThat(h(r, "ETag")).isEqualTo("\"" + RepoContent.sha256(BIG) + "\"");
        }
        HttpResponse<byte[]> small = send("GET", "/acme/files/resolve/main/config.json", "Range", "bytes=2-5");
        assertThat(small.statusCode()).isEqualTo(206);
        assertThat(new String(small.body(), StandardCharsets.UTF_8)).isEqualTo(CONFIG.substring(2, 6));
        HttpResponse<byte[]> head = send("HEAD", "/acme/files/resolve/main/weights.bin", "Range", "bytes=0-0");
        assertThat(head.statusCode()).isEqualTo(206);
        assertThat(h(head, "Content-Range")).isEqualTo("bytes 0-0/" + n);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void unsatisfiableRangesAre416AndOtherRangesAreIgnored() {
        int n = BIG.length;
        for (String range : new String[] {"bytes=" + n + "-", "bytes=" + (n + 10) + "-" + (n + 20), "bytes=-0"}) {
            HttpResponse<byte[]> r = send("GET", "/acme/files/resolve/main/weights.bin", "Range", range);
            assertThat(r.statusCode()).as(range).isEqualTo(416);
            assertThat(h(r, "Content-Range")).as(range).isEqualTo("bytes */" + n);
        }
        for (String range : new String[] {"bytes=0-1,5-6", "items=0-1", "bytes=5-2", "bytes=abc", "bytes=-"}) {
            HttpResponse<byte[]> r = send("GET", "/acme/files/resolve/main/config.json", "Range", range);
            assertThat(r.statusCode()).as(range).isEqualTo(200);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(CONFIG);
        }
    }

    @Test
    void anEmptyFileAnswersARangeProbeWithItsZeroSize() {
        for (String path : new String[] {"empty.txt", "empty-lfs.bin"}) {
            HttpResponse<byte[]> r = send("GET", "/acme/files/resolve/main/" + path, "Range", "bytes=0-0");
            assertThat(r.statusCode()).as(path).isBetween(200, 206);
            assertThat(h(r, "Content-Range")).as(path).isEqualTo("bytes */0");
            assertThat(h(r, "ETag")).as(path).isNotNull();
            assertThat(r.body()).isEmpty();
            HttpResponse<byte[]> plain = send("GET", "/acme/files/resolve/main/" + path);
            assertThat(plain.statusCode()).isEqualTo(200);
            assertThat(h(plain, "Content-Length")).isEqualTo("0");
        }
    }

    @Test
    void everyRevisionSpellingResolves() {
        for (String rev : new String[] {"main", sha, sha.substring(0, 7), "HEAD"}) {
            HttpResponse<byte[]> r = send("HEAD", "/acme/files/resolve/" + rev + "/dir/notes.md");
            assertThat(r.statusCode()).as(rev).isEqualTo(200);
            assertThat(h(r, "X-Repo-Commit")).isEqualTo(sha);
        }
        for (String rev : new String[] {"refs%2Fpr%2F1", "refs/pr/1", "v1", "feature%2Fx", "feature/x", firstSha}) {
            HttpResponse<byte[]> r = send("GET", "/acme/files/resolve/" + rev + "/config.json");
            assertThat(r.statusCode()).as(rev).isEqualTo(200);
            assertThat(h(r, "X-Repo-Commit")).as(rev).isEqualTo(firstSha);
        }
        assertThat(send("GET", "/acme/files/resolve/refs%2Fpr%2F1/weights.bin").statusCode()).isEqualTo(404);
    }

    @Test
    void anUnknownRevisionIsRevisionNotFoundAndAMissingFileIsEntryNotFoundWithTheCommit() {
        HttpResponse<byte[]> rev = send("HEAD", "/acme/files/resolve/nope/config.json");
        assertThat(rev.statusCode()).isEqualTo(404);
        assertThat(h(rev, "X-Error-Code")).isEqualTo("RevisionNotFound");
        for (String path : new String[] {"missing.bin", "dir", "dir/missing"}) {
            for (String method : new String[] {"HEAD", "GET"}) {
                HttpResponse<byte[]> r = send(method, "/acme/files/resolve/main/" + path);
                assertThat(r.statusCode()).as(path).isEqualTo(404);
                assertThat(h(r, "X-Error-Code")).as(path).isEqualTo("EntryNotFound");
                assertThat(h(r, "X-Repo-Commit")).as(path).isEqualTo(sha);
            }
        }
        HttpResponse<byte[]> get = send("GET", "/acme/files/resolve/main/missing.bin");
        assertThat(h(get, "Content-Type")).startsWith("application/json");
        assertThat(new String(get.body(), StandardCharsets.UTF_8)).contains("\"error\"");
    }

    @Test
    void hostilePathsAreRefusedAndNothingLeaks() {
        String[] paths = {"..%2F..%2Fconfig", "dir/../config.json", "%2e%2e/%2e%2e/etc/passwd", "dir/%2e%2e/config.json",
            "%2Fetc%2Fpasswd", ".git/config", ".GIT/HEAD", "dir/.git/config", "config.json%00.txt", "dir%5Cnotes.md",
            "a%0Ab", "x".repeat(300), ("a/".repeat(2100)) + "b", "."};
        for (String path : paths) {
            for (String kind : new String[] {"resolve", "raw"}) {
                HttpResponse<byte[]> r = send("GET", "/acme/files/" + kind + "/main/" + path);
                String shown = kind + " " + (path.length() > 60 ? path.substring(0, 60) + "..." : path);
                // 414 is the server's own limit on the request line, before any routing
                assertThat(r.statusCode()).as(shown).isIn(400, 404, 414);
                String body = new String(r.body(), StandardCharsets.UTF_8);
                assertThat(body).as(shown).doesNotContain("model_type", "[core]", "root:");
                if (r.statusCode() == 404) {
                    assertThat(h(r, "X-Error-Code")).as(shown).isIn("EntryNotFound", "RevisionNotFound");
                }
            }
        }
    }

    @Test
    void malformedAndUnnormalizedRequestLinesNeverReachAFile() {
        for (String raw : new String[] {"/acme/files/resolve/main/%ZZ", "/acme/files/resolve/main/../../../etc/passwd",
            "/acme/files/resolve/main/dir/../config.json", "/acme/files/resolve/main/./config.json",
            "/acme/files/raw/main/dir/%2E%2E/config.json", "/acme/files/resolve/main/config.json%00"}) {
            String response = RawHttp.get(hub.hub().port(), raw);
            assertThat(RawHttp.status(response)).as(raw).isBetween(400, 404);
            assertThat(response).as(raw).doesNotContain("model_type", "root:");
        }
    }

    @Test
    void aPrivateRepoIsInvisible() throws Exception {
        hub.createRepo("model", "acme/secret");
        RepoContent.in(hub, "acme/secret").file("config.json", CONFIG).commit();
        hub.hub().repos().setPrivate(RepoId.of(RepoType.MODEL, "acme/secret"), true);
        HttpResponse<String> anon = hub.http().send(HttpRequest.newBuilder(URI.create(hub.url()
                + "/acme/secret/resolve/main/config.json")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anon.statusCode()).isEqualTo(401);
        assertThat(h(anon, "X-Error-Code")).isEqualTo("RepoNotFound");
        assertThat(h(anon, "X-Repo-Commit")).isNull();
        String bob = OtherUser.token(hub, "bob-resolve");
        HttpResponse<String> other = hub.http().send(HttpRequest.newBuilder(URI.create(hub.url()
                + "/acme/secret/resolve/main/config.json")).header("Authorization", "Bearer " + bob).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(h(other, "X-Error-Code")).isEqualTo("RepoNotFound");
        assertThat(send("GET", "/acme/secret/resolve/main/config.json").statusCode()).isEqualTo(200);
    }

    @Test
    void aMovedRepoRedirectsRelativelyToItsNewName() {
        hub.createRepo("dataset", "acme/old-data");
        RepoContent.in(hub, RepoId.of(RepoType.DATASET, "acme/old-data")).file("data/train.jsonl", "{}\n").commit();
        hub.hub().repos().move(RepoId.of(RepoType.DATASET, "acme/old-data"), RepoId.of(RepoType.DATASET, "acme/new-data"));
        HttpResponse<byte[]> r = send("HEAD", "/datasets/acme/old-data/resolve/main/data/train.jsonl?x=1");
        assertThat(r.statusCode()).isEqualTo(307);
        assertThat(h(r, "Location")).isEqualTo("/datasets/acme/new-data/resolve/main/data/train.jsonl?x=1");
        HttpResponse<byte[]> moved = send("GET", "/datasets/acme/new-data/resolve/main/data/train.jsonl");
        assertThat(moved.statusCode()).isEqualTo(200);
        assertThat(new String(moved.body(), StandardCharsets.UTF_8)).isEqualTo("{}\n");
    }

    @Test
    void fullGetsOfConfigFilesCountDownloadsButHeadAndRangeProbesDoNot() {
        hub.createRepo("model", "acme/counted");
        RepoContent.in(hub, "acme/counted").file("config.json", CONFIG).file("adapter_config.json", "{}")
                .file("sub/config.json", CONFIG).file("README.md", "hi").commit();
        RepoId id = RepoId.of(RepoType.MODEL, "acme/counted");
        send("HEAD", "/acme/counted/resolve/main/config.json");
        send("GET", "/acme/counted/resolve/main/config.json", "Range", "bytes=0-0");
        send("GET", "/acme/counted/raw/main/config.json");
        send("GET", "/acme/counted/resolve/main/sub/config.json");
        send("GET", "/acme/counted/resolve/main/README.md");
        assertThat(hub.hub().repos().info(id).orElseThrow().downloads()).isZero();
        send("GET", "/acme/counted/resolve/main/config.json");
        send("GET", "/acme/counted/resolve/main/adapter_config.json");
        assertThat(hub.hub().repos().info(id).orElseThrow().downloads()).isEqualTo(2);
    }
}
