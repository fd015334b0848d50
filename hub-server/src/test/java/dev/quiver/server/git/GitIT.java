package dev.quiver.server.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quiver.schema.repo.RepoType;
import dev.quiver.schema.safetensors.Dtype;
import dev.quiver.schema.safetensors.SafetensorsWriter;
import dev.quiver.server.TestHub;
import dev.quiver.server.auth.AccessToken;
import dev.quiver.server.auth.TokenService;
import dev.quiver.server.auth.UserStore;
import dev.quiver.server.db.Database;
import dev.quiver.server.db.RepoEvent;
import dev.quiver.server.repo.CommitRequest;
import dev.quiver.server.repo.FileChange;
import dev.quiver.server.repo.RepoId;
import dev.quiver.server.repo.RepoPath;
import dev.quiver.server.repo.RepoWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Ref;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code git} and {@code git-lfs} against a running hub: clone, fetch, push and the push rules. */
class GitIT {
    static TestHub hub;
    static String bobToken;
    static String bobReadOnlyToken;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        hub = TestHub.start();
        try (Database db = Database.open(hub.dataDir().resolve("quiver.db"))) {
            var bob = new UserStore(db).create("bob", "Bob", "bob@example.com", false, false);
            TokenService tokens = new TokenService(db);
            bobToken = TokenService.newSecret();
            tokens.store(bob, "git", AccessToken.Role.WRITE, bobToken);
            bobReadOnlyToken = TokenService.newSecret();
            tokens.store(bob, "read", AccessToken.Role.READ, bobReadOnlyToken);
        }
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private GitCli admin() {
        return GitCli.withToken(tmp.resolve("home-admin"), hub.token());
    }

    private GitCli anonymous() {
        return GitCli.anonymous(tmp.resolve("home-anon"));
    }

    private static String url(String path) {
        return hub.url() + path;
    }

    private static String serverHead(RepoId repo, String ref) {
        try {
            Ref r = hub.hub().repos().git(repo).exactRef(ref);
            return r == null ? "" : r.getObjectId().name();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RepoId model(String id) {
        return RepoId.of(RepoType.MODEL, id);
    }

    private Path cloneOf(GitCli git, String path, String dirName) {
        Path dir = tmp.resolve(dirName);
        git.run(tmp, "clone", url(path), dir.toString()).ok();
        return dir;
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    @Test
    void freshRepositoriesCloneForModelsAndDatasetsWithAndWithoutDotGit() {
        hub.createRepo("model", "acme/fresh");
        hub.createRepo("dataset", "acme/fresh-data");
        GitCli git = anonymous();
        int i = 0;
        for (String path : List.of("/acme/fresh", "/acme/fresh.git", "/datasets/acme/fresh-data",
                "/datasets/acme/fresh-data.git")) {
            Path dir = cloneOf(git, path, "c" + i++);
            assertThat(dir.resolve(".gitattributes")).as(path).exists();
            String head = git.run(dir, "rev-parse", "HEAD").ok().out().strip();
            RepoId id = RepoId.of(path.startsWith("/datasets") ? RepoType.DATASET : RepoType.MODEL,
                    path.startsWith("/datasets") ? "acme/fresh-data" : "acme/fresh");
            assertThat(head).as(path).isEqualTo(serverHead(id, "refs/heads/main"));
        }
    }

    @Test
    void fetchSpeaksProtocolV2WhenAskedAndV0Otherwise() {
        hub.createRepo("model", "acme/protocols");
        GitCli git = anonymous();
        GitCli.Result v2 = git.run(tmp, List.of("GIT_TRACE_PACKET=1"), "-c", "protocol.version=2", "clone",
                url("/acme/protocols"), "v2").ok();
        assertThat(v2.err()).contains("git< version 2").contains("ls-refs");
        GitCli.Result v0 = git.run(tmp, List.of("GIT_TRACE_PACKET=1"), "-c", "protocol.version=0", "clone",
                url("/acme/protocols"), "v0").ok();
        assertThat(v0.err()).doesNotContain("git< version 2").contains("# service=git-upload-pack");
        assertThat(git.run(tmp.resolve("v0"), "rev-parse", "HEAD").ok().out())
                .isEqualTo(git.run(tmp.resolve("v2"), "rev-parse", "HEAD").ok().out());
    }

    @Test
    void pushedFilesWithA20MbLfsSafetensorsCloneBackByteForByteAndFireTheEvent() throws IOException {
        hub.createRepo("model", "acme/lora");
        RepoId repo = model("acme/lora");
        GitCli git = admin();
        Path work = cloneOf(git, "/acme/lora", "work");
        git.run(work, "lfs", "install", "--local").ok();
        Path weights = work.resolve("adapter_model.safetensors");
        writeSafetensors(weights, 20 << 20);
        write(work.resolve("adapter_config.json"), "{\"peft_type\": \"LORA\", \"r\": 8}\n");
        write(work.resolve("README.md"), "---\nlicense: mit\nbase_model: acme/tiny\n---\n# My LoRA\n");
        write(work.resolve("data/notes.txt"), "notes\n");
        git.run(work, "add", ".").ok();
        git.run(work, "commit", "-q", "-m", "add adapter").ok();
        String oldHead = serverHead(repo, "refs/heads/main");
        long seqBefore = hub.hub().outbox().lastSeq();

        GitCli.Result push = git.run(work, "push", "origin", "main").ok();

        assertThat(push.all()).doesNotContainIgnoringCase("warning").doesNotContainIgnoringCase("lock")
                .doesNotContainIgnoringCase("error");
        String local = git.run(work, "rev-parse", "HEAD").ok().out().strip();
        assertThat(serverHead(repo, "refs/heads/main")).isEqualTo(local);
        assertThat(git.run(work, "cat-file", "-p", "HEAD:adapter_model.safetensors").ok().out())
                .startsWith("version https://git-lfs.github.com/spec/v1");
        List<RepoEvent> events = hub.hub().outbox().after(seqBefore, 100).stream()
                .filter(e -> e.repo().equals(repo) && e.ref().equals("refs/heads/main")).toList();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(RepoEvent.Kind.REF_UPDATED);
            assertThat(e.oldId()).isEqualTo(oldHead);
            assertThat(e.newId()).isEqualTo(local);
        });

        Path elsewhere = cloneOf(anonymous(), "/acme/lora.git", "elsewhere");
        for (String file : List.of("adapter_model.safetensors", "adapter_config.json", "README.md", "data/notes.txt")) {
            assertThat(Files.mismatch(work.resolve(file), elsewhere.resolve(file))).as(file).isEqualTo(-1L);
        }
    }

    @Test
    void aCommitMadeThroughTheHttpCommitApiIsSeenByGitPull() throws IOException {
        hub.createRepo("model", "acme/pulled");
        GitCli git = admin();
        Path work = cloneOf(git, "/acme/pulled", "work");
        String content = java.util.Base64.getEncoder().encodeToString("hello from the API\n".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> commit = hub.send(hub.request("/api/models/acme/pulled/commit/main")
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"key\":\"header\",\"value\":{\"summary\":\"from the API\",\"description\":\"\"}}\n"
                        + "{\"key\":\"file\",\"value\":{\"path\":\"from-api.txt\",\"content\":\"" + content
                        + "\",\"encoding\":\"base64\"}}\n")).build());
        assertThat(commit.statusCode()).as(commit.body()).isEqualTo(200);
        String sha = dev.quiver.schema.json.Json.mapper().readTree(commit.body()).get("commitOid").asText();

        git.run(work, "pull", "-q", "origin", "main").ok();

        assertThat(git.run(work, "rev-parse", "HEAD").ok().out().strip()).isEqualTo(sha);
        assertThat(work.resolve("from-api.txt")).hasContent("hello from the API");
        assertThat(git.run(work, "log", "-1", "--format=%s").ok().out().strip()).isEqualTo("from the API");
    }

    @Test
    void aStalePushIsRefusedEvenWhenForcedAndTheNewerCommitSurvives() throws IOException {
        hub.createRepo("model", "acme/stale");
        RepoId repo = model("acme/stale");
        GitCli git = admin();
        Path work = cloneOf(git, "/acme/stale", "work");
        String newer = commitThroughWriter(repo, "newer.txt", "a person's commit\n");
        write(work.resolve("mine.txt"), "stale\n");
        git.run(work, "add", ".").ok();
        git.run(work, "commit", "-q", "-m", "stale work").ok();

        GitCli.Result plain = git.run(work, "push", "origin", "main");
        assertThat(plain.exit()).isNotZero();
        git.run(work, "fetch", "-q", "origin").ok();
        GitCli.Result forced = git.run(work, "push", "--force", "origin", "main");

        assertThat(forced.exit()).isNotZero();
        assertThat(forced.err()).contains("remote: refs/heads/main: not a fast-forward").contains("allowForcePush")
                .contains("[rejected]");
        assertThat(serverHead(repo, "refs/heads/main")).isEqualTo(newer);
    }

    @Test
    void forcePushesAndBranchDeletionsNeedTheRepositorySetting() throws IOException {
        hub.createRepo("model", "acme/forced");
        RepoId repo = model("acme/forced");
        GitCli git = admin();
        Path work = cloneOf(git, "/acme/forced", "work");
        write(work.resolve("a.txt"), "a\n");
        git.run(work, "add", ".").ok();
        git.run(work, "commit", "-q", "-m", "a").ok();
        git.run(work, "push", "-q", "origin", "main", "main:refs/heads/side").ok();
        git.run(work, "commit", "-q", "--amend", "-m", "a, amended").ok();
        assertThat(git.run(work, "push", "origin", ":refs/heads/side").exit()).isNotZero();
        assertThat(serverHead(repo, "refs/heads/side")).isNotEmpty();

        hub.hub().repos().setAllowForcePush(repo, true);
        git.run(work, "push", "-q", "--force", "origin", "main").ok();
        git.run(work, "push", "-q", "origin", ":refs/heads/side").ok();

        assertThat(serverHead(repo, "refs/heads/main")).isEqualTo(git.run(work, "rev-parse", "HEAD").ok().out().strip());
        assertThat(serverHead(repo, "refs/heads/side")).isEmpty();
        GitCli.Result deleteMain = git.run(work, "push", "origin", ":refs/heads/main");
        assertThat(deleteMain.exit()).isNotZero();
        assertThat(deleteMain.err()).contains("default branch cannot be deleted");
    }

    @Test
    void anonymousPushIsRefusedAndChangesNothing() throws IOException {
        hub.createRepo("model", "acme/no-anon");
        RepoId repo = model("acme/no-anon");
        String before = serverHead(repo, "refs/heads/main");
        GitCli git = anonymous();
        Path work = cloneOf(git, "/acme/no-anon", "work");
        write(work.resolve("x.txt"), "x\n");
        git.run(work, "add", ".").ok();
        git.run(work, "commit", "-q", "-m", "x").ok();

        GitCli.Result push = git.run(work, "push", "origin", "main");

        assertThat(push.exit()).isNotZero();
        assertThat(push.err()).contains("could not read Username");
        assertThat(serverHead(repo, "refs/heads/main")).isEqualTo(before);
    }

    @Test
    void readOnlyTokensAndOtherUsersCannotPush() throws IOException {
        hub.createRepo("model", "acme/guarded");
        RepoId repo = model("acme/guarded");
        String before = serverHead(repo, "refs/heads/main");
        for (String token : List.of(bobToken, bobReadOnlyToken)) {
            GitCli git = GitCli.withToken(tmp.resolve("home-" + token), token);
            Path work = cloneOf(git, "/acme/guarded", "work-" + token);
            write(work.resolve("x.txt"), "x\n");
            git.run(work, "add", ".").ok();
            git.run(work, "commit", "-q", "-m", "x").ok();
            GitCli.Result push = git.run(work, "push", "origin", "main");
            assertThat(push.exit()).isNotZero();
            assertThat(push.err()).contains("403");
        }
        assertThat(serverHead(repo, "refs/heads/main")).isEqualTo(before);
    }

    @Test
    void aPrivateRepositoryLooksExactlyLikeAMissingOne() {
        HttpResponse<String> created = hub.postJson("/api/repos/create",
                "{\"type\":\"model\",\"organization\":\"acme\",\"name\":\"secret\",\"private\":true}");
        assertThat(created.statusCode()).isEqualTo(200);

        GitCli.Result privateAnon = anonymous().run(tmp, "clone", url("/acme/secret"), "p1");
        GitCli.Result missingAnon = anonymous().run(tmp, "clone", url("/acme/nothing"), "m1");
        assertThat(privateAnon.exit()).isNotZero();
        assertThat(privateAnon.err().replace("secret", "X").replace("p1", "D"))
                .isEqualTo(missingAnon.err().replace("nothing", "X").replace("m1", "D"));

        GitCli bob = GitCli.withToken(tmp.resolve("home-bob"), bobToken);
        GitCli.Result privateBob = bob.run(tmp, "clone", url("/acme/secret"), "p2");
        GitCli.Result missingBob = bob.run(tmp, "clone", url("/acme/nothing"), "m2");
        assertThat(privateBob.exit()).isNotZero();
        assertThat(privateBob.err()).contains("not found");
        assertThat(privateBob.err().replace("secret", "X").replace("p2", "D"))
                .isEqualTo(missingBob.err().replace("nothing", "X").replace("m2", "D"));

        Path own = cloneOf(admin(), "/acme/secret", "own");
        assertThat(own.resolve(".gitattributes")).exists();
    }

    @Test
    void anonymousGitGetsABasicChallengeForPrivateAndMissingRepositoriesAlike() {
        hub.postJson("/api/repos/create", "{\"type\":\"model\",\"organization\":\"acme\",\"name\":\"hidden\",\"private\":true}");
        for (String path : List.of("/acme/hidden", "/acme/absent")) {
            HttpResponse<String> r = hub.send(HttpRequest.newBuilder(
                    URI.create(url(path + "/info/refs?service=git-upload-pack"))).GET().build());
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).as(path).contains("Basic realm=\"Quiver\"");
        }
    }

    @Test
    void aPointerToAnLfsObjectThatWasNeverUploadedIsRefusedNamingTheFile() throws IOException {
        hub.createRepo("model", "acme/dangling");
        RepoId repo = model("acme/dangling");
        String before = serverHead(repo, "refs/heads/main");
        GitCli git = admin();
        Path work = cloneOf(git, "/acme/dangling", "work");
        write(work.resolve("weights.bin"), "version https://git-lfs.github.com/spec/v1\noid sha256:"
                + "ab".repeat(32) + "\nsize 12345\n");
        git.run(work, "add", ".").ok();
        git.run(work, "commit", "-q", "-m", "dangling pointer").ok();

        GitCli.Result push = git.run(work, "push", "--no-verify", "origin", "main");

        assertThat(push.exit()).isNotZero();
        assertThat(push.err()).contains("remote: ").contains("weights.bin").contains("was never uploaded");
        assertThat(serverHead(repo, "refs/heads/main")).isEqualTo(before);
    }

    @Test
    void anInvalidModelCardIsRefusedWithTheYamlError() throws IOException {
        hub.createRepo("model", "acme/bad-card");
        RepoId repo = model("acme/bad-card");
        String before = serverHead(repo, "refs/heads/main");
        GitCli git = admin();
        Path work = cloneOf(git, "/acme/bad-card", "work");
        write(work.resolve("README.md"), "---\nlicense: mit\ntags: [unclosed\n---\n# Card\n");
        git.run(work, "add", ".").ok();
        git.run(work, "commit", "-q", "-m", "broken card").ok();

        GitCli.Result push = git.run(work, "push", "origin", "main");

        assertThat(push.exit()).isNotZero();
        assertThat(push.err()).contains("README.md front matter, line");
        assertThat(serverHead(repo, "refs/heads/main")).isEqualTo(before);
    }

    @Test
    void onlyBranchesAndTagsCanBePushed() throws IOException {
        hub.createRepo("model", "acme/refs");
        RepoId repo = model("acme/refs");
        GitCli git = admin();
        Path work = cloneOf(git, "/acme/refs", "work");
        write(work.resolve("t.txt"), "t\n");
        git.run(work, "add", ".").ok();
        git.run(work, "commit", "-q", "-m", "t").ok();
        for (String target : List.of("refs/pr/1", "refs/notes/commits", "refs/quiver/x")) {
            GitCli.Result push = git.run(work, "push", "origin", "HEAD:" + target);
            assertThat(push.exit()).as(target).isNotZero();
            assertThat(push.err()).as(target).contains("only refs/heads/* and refs/tags/* can be pushed");
            assertThat(serverHead(repo, target)).as(target).isEmpty();
        }
        git.run(work, "tag", "-a", "v1", "-m", "v1").ok();
        git.run(work, "push", "-q", "origin", "main", "v1").ok();
        assertThat(serverHead(repo, "refs/tags/v1")).isEqualTo(git.run(work, "rev-parse", "v1").ok().out().strip());
    }

    @Test
    void aPushLandsWholeOrNotAtAll() throws IOException {
        hub.createRepo("model", "acme/atomic");
        RepoId repo = model("acme/atomic");
        String before = serverHead(repo, "refs/heads/main");
        GitCli git = admin();
        Path work = cloneOf(git, "/acme/atomic", "work");
        write(work.resolve("good.txt"), "good\n");
        git.run(work, "add", ".").ok();
        git.run(work, "commit", "-q", "-m", "good").ok();
        git.run(work, "branch", "bad").ok();
        git.run(work, "checkout", "-q", "bad").ok();
        write(work.resolve("quiver.yaml"), "base_model: [this is not a recipe\n");
        git.run(work, "add", ".").ok();
        git.run(work, "commit", "-q", "-m", "bad recipe").ok();

        GitCli.Result push = git.run(work, "push", "origin", "main", "bad");

        assertThat(push.exit()).isNotZero();
        assertThat(push.err()).contains("quiver.yaml");
        assertThat(serverHead(repo, "refs/heads/main")).isEqualTo(before);
        assertThat(serverHead(repo, "refs/heads/bad")).isEmpty();
    }

    @Test
    void aPushCutOffMidPackLeavesTheRepositoryExactlyAsBefore() throws Exception {
        hub.createRepo("model", "acme/cut");
        RepoId repo = model("acme/cut");
        GitCli git = admin();
        Path work = cloneOf(git, "/acme/cut", "work");
        byte[] noise = new byte[96 << 20];
        new Random(7).nextBytes(noise);
        Files.write(work.resolve("noise.dat"), noise);
        git.run(work, "add", ".").ok();
        git.run(work, "commit", "-q", "-m", "big").ok();
        Path gitDir = hub.hub().repos().gitDir(repo);
        List<String> filesBefore = listFiles(gitDir);
        String before = serverHead(repo, "refs/heads/main");
        long seqBefore = hub.hub().outbox().lastSeq();

        GitCli.Running push = git.start(work, "-c", "http.postBuffer=65536", "push", "origin", "main");
        waitFor(() -> listFiles(gitDir).stream().anyMatch(f -> f.contains("incoming_")), 60_000);
        push.kill();
        push.process().waitFor();
        waitFor(() -> listFiles(gitDir).equals(filesBefore), 30_000);

        assertThat(listFiles(gitDir)).isEqualTo(filesBefore);
        assertThat(serverHead(repo, "refs/heads/main")).isEqualTo(before);
        assertThat(hub.hub().outbox().after(seqBefore, 100)).noneMatch(e -> e.repo().equals(repo));
        GitCli.Result fsck = git.run(tmp, "--git-dir=" + gitDir, "fsck", "--strict");
        assertThat(fsck.exit()).as(fsck.all()).isZero();
    }

    @Test
    void aCommitThatLandsWhileAPushIsArrivingWinsAndThePushIsRefused() throws Exception {
        hub.createRepo("model", "acme/race");
        RepoId repo = model("acme/race");
        GitCli git = admin();
        Path work = cloneOf(git, "/acme/race", "work");
        write(work.resolve("pushed.txt"), "pushed\n");
        git.run(work, "add", ".").ok();
        git.run(work, "commit", "-q", "-m", "pushed").ok();
        Path packs = hub.hub().repos().gitDir(repo).resolve("objects/pack");
        java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        String[] apiCommit = new String[1];
        Thread writerThread = Thread.ofVirtual().start(() -> hub.hub().writer().locked(repo, () -> {
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            apiCommit[0] = commitThroughWriter(repo, "api.txt", "api\n");
            return null;
        }));
        holding.await();

        GitCli.Running push = git.start(work, "push", "origin", "main");
        waitFor(() -> listFiles(packs).stream().anyMatch(f -> f.endsWith(".keep")), 60_000);
        release.countDown();
        writerThread.join();
        GitCli.Result result = push.await();

        assertThat(result.exit()).isNotZero();
        assertThat(result.err()).contains("changed while this write was in progress");
        assertThat(serverHead(repo, "refs/heads/main")).isEqualTo(apiCommit[0]);
    }

    @Test
    void gitLfsLockingIsDeclinedQuietlyAndListsNoLocks() {
        hub.createRepo("model", "acme/locks");
        HttpResponse<String> verify = hub.send(hub.request("/acme/locks.git/info/lfs/locks/verify")
                .header("Content-Type", "application/vnd.git-lfs+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"ref\":{\"name\":\"refs/heads/main\"}}")).build());
        assertThat(verify.statusCode()).isEqualTo(501);
        assertThat(verify.headers().firstValue("Content-Type")).contains("application/vnd.git-lfs+json");
        assertThat(verify.body()).contains("\"message\"");
        HttpResponse<String> anon = hub.send(HttpRequest.newBuilder(URI.create(url("/acme/locks.git/info/lfs/locks/verify")))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(anon.statusCode()).isEqualTo(401);
        assertThat(anon.headers().firstValue("WWW-Authenticate")).contains(GitEndpoints.CHALLENGE);
        HttpResponse<String> list = hub.send(HttpRequest.newBuilder(URI.create(url("/acme/locks.git/info/lfs/locks")))
                .GET().build());
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).isEqualTo("{\"locks\":[]}");
    }

    private static String commitThroughWriter(RepoId repo, String path, String text) {
        return hub.hub().writer().commit(new CommitRequest(repo, "main", Optional.empty(), "from the API", "",
                RepoWriter.hubIdent(), List.of(new FileChange.Put(new RepoPath(path),
                        text.getBytes(StandardCharsets.UTF_8))), false)).commitId();
    }

    private static void writeSafetensors(Path file, int bytes) {
        ByteBuffer data = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        Random random = new Random(42);
        while (data.hasRemaining()) {
            data.putFloat((float) random.nextGaussian());
        }
        data.flip();
        new SafetensorsWriter().add("base_model.model.layers.0.self_attn.q_proj.lora_A.weight", Dtype.F32,
                new long[] {bytes / 4 / 1024, 1024}, data).write(file);
    }

    private static List<String> listFiles(Path dir) {
        for (int attempt = 1; Files.isDirectory(dir); attempt++) {
            try (Stream<Path> walk = Files.walk(dir)) {
                return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString())
                        .filter(p -> !p.startsWith("logs/")).sorted().toList();
            } catch (IOException | UncheckedIOException e) {
                // a file the push was writing went away during the walk (seen in CI): walk again, a few times
                if (attempt == 20) {
                    throw new AssertionError("cannot list " + dir, e);
                }
            }
        }
        return List.of();
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("condition not met within " + millis + " ms");
            }
            Thread.sleep(20);
        }
    }
}
