package dev.quiver.server.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.TestHub;
import dev.quiver.server.repo.RepoId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Git smart HTTP at the wire: what malformed, hostile or unusual requests get. */
class GitHttpIT {
    static TestHub hub;
    static String head;

    @BeforeAll
    static void start() throws IOException {
        hub = TestHub.start();
        hub.createRepo("model", "acme/wire");
        head = hub.hub().repos().git(RepoId.of(RepoType.MODEL, "acme/wire")).exactRef("refs/heads/main")
                .getObjectId().name();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder request) {
        try {
            return hub.http().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpRequest.Builder anon(String path) {
        return HttpRequest.newBuilder(URI.create(hub.url() + path));
    }

    private static HttpRequest.Builder uploadPack(byte[] body) {
        return anon("/acme/wire.git/git-upload-pack").header("Content-Type", "application/x-git-upload-pack-request")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.ISO_8859_1);
    }

    private static byte[] pkt(String line) {
        return (String.format("%04x", line.length() + 4) + line).getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void theAdvertisementHasTheServiceHeaderTypeAndNoCaching() {
        HttpResponse<byte[]> r = send(anon("/acme/wire/info/refs?service=git-upload-pack").GET());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/x-git-upload-pack-advertisement");
        assertThat(r.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-cache"));
        assertThat(text(r)).startsWith("001e# service=git-upload-pack\n0000").contains(head + " HEAD")
                .contains("refs/heads/main").contains("symref=HEAD:refs/heads/main");
    }

    @Test
    void protocolV2IsAdvertisedOnlyWhenTheHeaderAsksForIt() {
        HttpResponse<byte[]> r = send(anon("/acme/wire/info/refs?service=git-upload-pack").header("Git-Protocol",
                "version=2").GET());
        assertThat(text(r)).startsWith("000dversion 2").contains("ls-refs").contains("fetch=")
                .doesNotContain("# service=");
        HttpResponse<byte[]> junk = send(anon("/acme/wire/info/refs?service=git-upload-pack").header("Git-Protocol",
                "::version=9:%%%:" + "x".repeat(4000)).GET());
        assertThat(junk.statusCode()).isEqualTo(200);
        assertThat(text(junk)).startsWith("001e# service=git-upload-pack");
    }

    @Test
    void dumbHttpAndUnknownServicesAreBadRequests() {
        assertThat(send(anon("/acme/wire/info/refs").GET()).statusCode()).isEqualTo(400);
        assertThat(send(anon("/acme/wire/info/refs?service=git-upload-archive").GET()).statusCode()).isEqualTo(400);
        assertThat(send(anon("/acme/wire/info/refs?service=").GET()).statusCode()).isEqualTo(400);
    }

    @Test
    void aPostWithTheWrongContentTypeIsRefusedBeforeGitSeesIt() {
        HttpResponse<byte[]> r = send(anon("/acme/wire/git-upload-pack").header("Content-Type",
                "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("a=b")));
        assertThat(r.statusCode()).isEqualTo(400);
        HttpResponse<byte[]> push = send(hub.request("/acme/wire/git-receive-pack").header("Content-Type",
                "text/plain").POST(HttpRequest.BodyPublishers.ofString("0000")));
        assertThat(push.statusCode()).isEqualTo(400);
    }

    @Test
    void garbageInAFetchGetsAProtocolErrorNotAServerError() {
        for (byte[] body : new byte[][] {"zzzz".getBytes(StandardCharsets.US_ASCII), new byte[0], pkt("want nothing\n"),
                pkt("want " + "f".repeat(40) + "\n"), "ffff".getBytes(StandardCharsets.US_ASCII)}) {
            HttpResponse<byte[]> r = send(uploadPack(body));
            assertThat(r.statusCode()).isLessThan(500);
        }
        HttpResponse<byte[]> unknownWant = send(uploadPack(concat(pkt("want " + "f".repeat(40) + "\n"),
                "0000".getBytes(StandardCharsets.US_ASCII), pkt("done\n"))));
        assertThat(text(unknownWant)).contains("ERR");
        assertThat(send(anon("/acme/wire/info/refs?service=git-upload-pack").GET()).statusCode()).isEqualTo(200);
    }

    @Test
    void aGzippedFetchRequestIsUnderstood() throws IOException {
        byte[] request = concat(pkt("want " + head + " ofs-delta side-band-64k\n"), "0000".getBytes(StandardCharsets.US_ASCII),
                pkt("done\n"));
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(request);
        }
        HttpResponse<byte[]> r = send(uploadPack(gz.toByteArray()).header("Content-Encoding", "gzip"));
        assertThat(r.statusCode()).as(text(r) + r.headers().map()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/x-git-upload-pack-result");
        assertThat(text(r)).startsWith("0008NAK\n").contains("PACK");
    }

    @Test
    void aHostilePushBodyChangesNothing() {
        String zero = "0".repeat(40);
        for (byte[] body : new byte[][] {"garbage".getBytes(StandardCharsets.US_ASCII),
                concat(pkt(head + " " + zero + " refs/heads/../../x\0report-status\n"), "0000".getBytes(StandardCharsets.US_ASCII)),
                concat(pkt(zero + " " + head + " refs/heads/new\0report-status\n"), "0000PACKjunk".getBytes(StandardCharsets.US_ASCII))}) {
            HttpResponse<byte[]> r = send(hub.request("/acme/wire/git-receive-pack")
                    .header("Content-Type", "application/x-git-receive-pack-request")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
            assertThat(r.statusCode()).isLessThan(500);
        }
        assertThat(hub.get("/api/models/acme/wire/refs").body()).doesNotContain("refs/heads/new");
        try {
            var refs = hub.hub().repos().git(RepoId.of(RepoType.MODEL, "acme/wire")).getRefDatabase()
                    .getRefsByPrefix("refs/");
            assertThat(refs).extracting(r -> r.getName()).containsExactly("refs/heads/main");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void anonymousReceivePackAdvertisementIsChallenged() {
        HttpResponse<byte[]> r = send(anon("/acme/wire/info/refs?service=git-receive-pack").GET());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).contains(GitEndpoints.CHALLENGE);
        HttpResponse<byte[]> owner = send(hub.request("/acme/wire/info/refs?service=git-receive-pack").GET());
        assertThat(owner.statusCode()).isEqualTo(200);
        assertThat(text(owner)).startsWith("001f# service=git-receive-pack\n0000").contains("report-status");
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
