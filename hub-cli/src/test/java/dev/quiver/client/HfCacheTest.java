package dev.quiver.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfCacheTest {
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    static final String ETAG = "a".repeat(64);

    @TempDir
    Path root;

    @Test
    void snapshotsAreRelativeSymlinksToBlobs() throws Exception {
        HfCache cache = new HfCache(root);
        RepoRef repo = RepoRef.model("acme/lora");
        cache.prepare(repo);
        Files.writeString(cache.blob(repo, ETAG), "weights");
        Path link = cache.link(repo, COMMIT, "sub/dir/adapter.safetensors", ETAG);
        assertThat(link).isEqualTo(root.resolve("models--acme--lora/snapshots/" + COMMIT + "/sub/dir/adapter.safetensors"));
        assertThat(Files.readSymbolicLink(link).toString()).isEqualTo("../../../../blobs/" + ETAG);
        assertThat(Files.readString(link)).isEqualTo("weights");
        assertThat(cache.hasSnapshotFile(repo, COMMIT, "sub/dir/adapter.safetensors")).isTrue();
        // linking again is a no-op, and a link to another blob is replaced
        assertThat(cache.link(repo, COMMIT, "sub/dir/adapter.safetensors", ETAG)).isEqualTo(link);
        String other = "b".repeat(40);
        Files.writeString(cache.blob(repo, other), "other");
        cache.link(repo, COMMIT, "sub/dir/adapter.safetensors", other);
        assertThat(Files.readString(link)).isEqualTo("other");
        // a plain file there (a copy made where links were missing) becomes the link
        Files.delete(link);
        Files.writeString(link, "stale copy");
        cache.link(repo, COMMIT, "sub/dir/adapter.safetensors", ETAG);
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(link)).isEqualTo("weights");
    }

    @Test
    void refsAreWrittenForNamesNestForPullRequestsAndAreSkippedForCommitIds() throws Exception {
        HfCache cache = new HfCache(root);
        RepoRef repo = RepoRef.dataset("acme/data");
        cache.writeRef(repo, "main", COMMIT);
        cache.writeRef(repo, "refs/pr/1", COMMIT);
        cache.writeRef(repo, COMMIT, COMMIT);
        assertThat(Files.readString(root.resolve("datasets--acme--data/refs/main"))).isEqualTo(COMMIT);
        assertThat(Files.readString(root.resolve("datasets--acme--data/refs/refs/pr/1"))).isEqualTo(COMMIT);
        assertThat(root.resolve("datasets--acme--data/refs/" + COMMIT)).doesNotExist();
        assertThat(cache.readRef(repo, "main")).contains(COMMIT);
        assertThat(cache.readRef(repo, "dev")).isEmpty();
    }

    @Test
    void downloadsWritingOneRefAtOnceAllSucceedAndLeaveOnlyTheRef() throws Exception {
        HfCache cache = new HfCache(root);
        RepoRef repo = RepoRef.model("acme/lora");
        cache.prepare(repo);
        String other = "f".repeat(40);
        List<Thread> writers = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 8; i++) {
            String commit = i % 2 == 0 ? COMMIT : other;
            writers.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int round = 0; round < 200; round++) {
                        cache.writeRef(repo, "main", round % 2 == 0 ? commit : COMMIT);
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        for (Thread t : writers) {
            t.join();
        }
        assertThat(failures).isEmpty();
        assertThat(cache.readRef(repo, "main")).hasValueSatisfying(c -> assertThat(c).isIn(COMMIT, other));
        try (var files = Files.list(root.resolve("models--acme--lora"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("blobs", "refs", "snapshots");
        }
        try (var refs = Files.list(root.resolve("models--acme--lora/refs"))) {
            assertThat(refs.map(p -> p.getFileName().toString())).containsExactly("main");
        }
    }

    @Test
    void offlineARevisionIsACommitWithASnapshotHereOrWhatItsRefRecorded() throws Exception {
        HfCache cache = new HfCache(root);
        RepoRef repo = RepoRef.model("acme/lora");
        cache.prepare(repo);
        assertThat(cache.cachedCommit(repo, "main")).isEmpty();
        assertThat(cache.cachedCommit(repo, COMMIT)).isEmpty(); // a commit id, but no snapshot of it
        Files.createDirectories(cache.snapshot(repo, COMMIT));
        assertThat(cache.cachedCommit(repo, COMMIT)).contains(COMMIT);
        cache.writeRef(repo, "main", COMMIT);
        cache.writeRef(repo, "refs/pr/1", COMMIT);
        assertThat(cache.cachedCommit(repo, "main")).contains(COMMIT);
        assertThat(cache.cachedCommit(repo, "refs/pr/1")).contains(COMMIT);
        cache.writeRef(repo, "v1", "b".repeat(40)); // a ref whose snapshot is gone
        assertThat(cache.cachedCommit(repo, "v1")).isEmpty();
        assertThatThrownBy(() -> cache.cachedCommit(repo, "../../evil")).isInstanceOf(HubException.class);
    }

    @Test
    void nothingOutsideTheRepoFolderCanBeNamed() {
        HfCache cache = new HfCache(root);
        RepoRef repo = RepoRef.model("acme/lora");
        assertThatThrownBy(() -> cache.blob(repo, "../../x")).isInstanceOf(HubException.class);
        assertThatThrownBy(() -> cache.snapshotFile(repo, COMMIT, "../../../escape")).isInstanceOf(HubException.class);
        assertThatThrownBy(() -> cache.snapshot(repo, "main")).isInstanceOf(HubException.class);
        assertThatThrownBy(() -> cache.writeRef(repo, "../../evil", COMMIT)).isInstanceOf(HubException.class);
    }
}
