package dev.quiver.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.repo.RepoId;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input to the write path: each gets a clear 4xx and leaves the repository and blob store as they were. */
class WriteBadInputIT {
    static final String REPO = "models/acme/hostile";
    static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.start();
        hub.createRepo("model", "acme/hostile");
        CommitApi.commitOid(CommitApi.to(hub, REPO, "base").file("README.md", "# ok\n").post("main"));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    /** What must not change when a write is refused. */
    record State(String head, List<String> blobs, long events) {
    }

    static State state() throws IOException {
        var git = hub.hub().repos().git(new RepoId(RepoType.MODEL, "acme", "hostile"));
        Path objects = hub.dataDir().resolve("lfs/objects");
        List<String> blobs;
        try (Stream<Path> walk = Files.walk(objects)) {
            blobs = walk.filter(Files::isRegularFile).map(Path::toString).sorted().toList();
        }
        return new State(git.exactRef("refs/heads/main").getObjectId().name(), blobs, hub.hub().outbox().lastSeq());
    }

    void assertRefusedAndUnchanged(HttpResponse<String> reply, int status) throws IOException {
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(status);
        assertThat(reply.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(reply.body()).contains("\"error\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escape.txt", "a/../../b", "/etc/passwd", ".git/config", "x/.GIT/hooks/pre-receive",
            "back\\\\slash", "nul\\u0000byte", "dir//double", "./dot", "trailing/"})
    void oddPathsAreRefusedAndNothingChanges(String path) throws IOException {
        State before = state();
        String json = "{\"key\":\"file\",\"value\":{\"path\":\"" + path + "\",\"content\":\"aGk=\",\"encoding\":\"base64\"}}";
        assertRefusedAndUnchanged(CommitApi.to(hub, REPO, "odd").raw(json).post("main"), 400);
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void overLongPathIsRefused() throws IOException {
        State before = state();
        assertRefusedAndUnchanged(CommitApi.to(hub, REPO, "long").file("a/".repeat(2100) + "x", "hi").post("main"), 400);
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void invalidBase64IsRefused() throws IOException {
        State before = state();
        String json = "{\"key\":\"file\",\"value\":{\"path\":\"x.txt\",\"content\":\"not base64!!\",\"encoding\":\"base64\"}}";
        HttpResponse<String> r = CommitApi.to(hub, REPO, "b64").raw(json).post("main");
        assertRefusedAndUnchanged(r, 400);
        assertThat(r.body()).contains("base64");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void everyProblemOfOneCommitIsListed() throws IOException {
        State before = state();
        HttpResponse<String> r = CommitApi.to(hub, REPO, "many").raw("{not json").raw("{\"key\":\"copy\",\"value\":{}}")
                .file("../x", "y").post("main");
        assertRefusedAndUnchanged(r, 400);
        assertThat(r.body()).contains("line 2", "line 3", "line 4", "\"errors\":[");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void anLfsPointerToAnObjectNeverUploadedIsRefused() throws IOException {
        State before = state();
        HttpResponse<String> r = CommitApi.to(hub, REPO, "ghost").lfs("w.bin", "ab".repeat(32), 10).post("main");
        assertRefusedAndUnchanged(r, 400);
        assertThat(r.body()).contains("w.bin", "never uploaded");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void uploadedBytesThatDoNotMatchTheirOidAreRefusedAndNotStored() throws IOException {
        State before = state();
        byte[] real = "the real bytes".getBytes(StandardCharsets.UTF_8);
        String claimed = CommitApi.sha256("other bytes".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> batch = hub.send(hub.request("/acme/hostile.git/info/lfs/objects/batch")
                .POST(HttpRequest.BodyPublishers.ofString("{\"operation\":\"upload\",\"objects\":[{\"oid\":\""
                        + claimed + "\",\"size\":" + real.length + "}]}")).build());
        Matcher m = Pattern.compile("\"upload\":\\{\"href\":\"([^\"]+)\"").matcher(batch.body());
        assertThat(m.find()).as(batch.body()).isTrue();
        HttpResponse<String> put = hub.send(HttpRequest.newBuilder(URI.create(m.group(1)))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(real)).build());
        assertRefusedAndUnchanged(put, 400);
        assertThat(put.body()).contains("hash to sha256");
        assertThat(hub.hub().blobs().contains(claimed)).isFalse();
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void aTamperedOrUnsignedUploadUrlIsRefused() throws IOException {
        State before = state();
        String oid = CommitApi.sha256("x".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> put = hub.send(HttpRequest.newBuilder(URI.create(hub.url() + "/api/lfs/upload/" + oid
                + "/1?expires=99999999999&sig=00")).PUT(HttpRequest.BodyPublishers.ofString("x")).build());
        assertRefusedAndUnchanged(put, 401);
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void aStaleParentCommitIsRefusedWith412AndTheNewerCommitSurvives() throws IOException {
        String old = state().head();
        String newer = CommitApi.commitOid(CommitApi.to(hub, REPO, "newer").file("n.txt", "n").post("main"));
        HttpResponse<String> stale = CommitApi.to(hub, REPO, "stale", old).file("s.txt", "s").post("main");
        assertRefusedAndUnchanged(stale, 412);
        assertThat(state().head()).isEqualTo(newer);
    }

    @Test
    void anUnknownRevisionIsRevisionNotFound() throws IOException {
        State before = state();
        HttpResponse<String> r = CommitApi.to(hub, REPO, "nowhere").file("x.txt", "x").post("no-such-branch");
        assertRefusedAndUnchanged(r, 404);
        assertThat(r.headers().firstValue("X-Error-Code")).contains("RevisionNotFound");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void anOverLimitBodyIs413() throws IOException {
        State before = state();
        HttpResponse<String> r = hub.send(hub.request("/api/repos/create").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + "x".repeat(9 << 20) + "\"}")).build());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void malformedNdjsonWithoutAHeaderIsRefused() throws IOException {
        State before = state();
        HttpResponse<String> r = hub.send(hub.request("/api/" + REPO + "/commit/main")
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString("garbage\n\u0000\u0001\n")).build());
        assertRefusedAndUnchanged(r, 400);
        assertThat(r.body()).contains("header");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void aHostileSafetensorsHeaderIsRefused() throws IOException {
        State before = state();
        ByteBuffer huge = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE / 2).putLong(0);
        HttpResponse<String> r = CommitApi.to(hub, REPO, "evil").file("model.safetensors", huge.array()).post("main");
        assertRefusedAndUnchanged(r, 400);
        assertThat(r.body()).contains("model.safetensors", "safetensors");
        String overlapping = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        byte[] header = overlapping.getBytes(StandardCharsets.UTF_8);
        ByteBuffer file = ByteBuffer.allocate(8 + header.length + 8).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(header.length).put(header).putLong(0);
        String oid = CommitApi.uploadLfs(hub, "acme/hostile", file.array());
        HttpResponse<String> viaLfs = CommitApi.to(hub, REPO, "evil lfs").lfs("adapter_model.safetensors", oid,
                file.capacity()).post("main");
        assertRefusedAndUnchanged(viaLfs, 400);
        assertThat(state().head()).isEqualTo(before.head());
    }

    @Test
    void anInvalidModelCardIsRefusedWithTheYamlLine() throws IOException {
        State before = state();
        HttpResponse<String> r = CommitApi.to(hub, REPO, "card").file("README.md", "---\nlicense: mit\ntags: [a, b\n---\n")
                .post("main");
        assertRefusedAndUnchanged(r, 400);
        assertThat(r.body()).contains("README.md", "line");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void writingWithoutATokenIs401AndWithAReadTokenElsewhereIsRefused() throws IOException {
        State before = state();
        HttpResponse<String> r = hub.send(HttpRequest.newBuilder(URI.create(hub.url() + "/api/" + REPO + "/commit/main"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"header\",\"value\":{\"summary\":\"x\"}}\n")).build());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(state()).isEqualTo(before);
    }
}
