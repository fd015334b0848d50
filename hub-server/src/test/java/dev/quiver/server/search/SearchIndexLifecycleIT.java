package dev.quiver.server.search;

import static dev.quiver.server.search.SearchFixtures.card;
import static dev.quiver.server.search.SearchFixtures.model;
import static dev.quiver.server.search.SearchFixtures.models;
import static dev.quiver.server.search.SearchFixtures.repo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quiver.server.TestHub;
import dev.quiver.server.db.Database;
import dev.quiver.server.db.Outbox;
import dev.quiver.server.lfs.FileBlobStore;
import dev.quiver.server.repo.CommitRequest;
import dev.quiver.server.repo.ContentRules;
import dev.quiver.server.repo.FileChange;
import dev.quiver.server.repo.RepoPath;
import dev.quiver.server.repo.RepoStore;
import dev.quiver.server.repo.RepoWriter;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index follows every change within a second, and survives restarts, loss, corruption and crashes. */
class SearchIndexLifecycleIT {
    private static final long REBUILD_MILLIS = 15_000;

    @TempDir
    Path data;

    @Test
    void aPushIsFindableWithinOneSecondAndAnEditReplacesTheOldWords() {
        try (TestHub hub = TestHub.restart(data)) {
            repo(hub, model("live/first"), false, Map.of());
            SearchFixtures.commit(hub, model("live/first"), card("license: mit\n", "Quokka detector."));
            long took = SearchFixtures.await(() -> models(hub, "search=quokka"), ids -> ids.contains("live/first"),
                    SearchFixtures.VISIBLE_WITHIN_MILLIS);
            assertThat(took).isLessThan(SearchFixtures.VISIBLE_WITHIN_MILLIS);
            SearchFixtures.commit(hub, model("live/first"), card("license: mit\n", "Wombat detector."));
            SearchFixtures.await(() -> models(hub, "search=wombat"), ids -> ids.contains("live/first"),
                    SearchFixtures.VISIBLE_WITHIN_MILLIS);
            assertThat(models(hub, "search=quokka")).isEmpty();
        }
    }

    @Test
    void aDeletedRepositoryIsGoneWithinOneSecond() {
        try (TestHub hub = TestHub.restart(data)) {
            repo(hub, model("live/doomed"), false, card("license: mit\n", "Ephemeral marmot."));
            SearchFixtures.await(() -> models(hub, "search=marmot"), ids -> ids.contains("live/doomed"), 10_000);
            var del = hub.send(hub.request("/api/repos/delete").header("Content-Type", "application/json")
                    .method("DELETE", HttpRequest.BodyPublishers.ofString(
                            "{\"type\":\"model\",\"name\":\"live/doomed\"}")).build());
            assertThat(del.statusCode()).isEqualTo(200);
            SearchFixtures.await(() -> models(hub, "search=marmot"), List::isEmpty,
                    SearchFixtures.VISIBLE_WITHIN_MILLIS);
            assertThat(models(hub, "author=live")).doesNotContain("live/doomed");
        }
    }

    @Test
    void anOrdinaryRestartKeepsTheIndexWithoutRebuilding() throws IOException {
        try (TestHub hub = TestHub.restart(data)) {
            repo(hub, model("keep/one"), false, card("license: mit\n", "Persistent axolotl."));
            SearchFixtures.await(() -> models(hub, "search=axolotl"), ids -> ids.contains("keep/one"), 10_000);
        }
        try (SearchIndex index = SearchIndex.open(data.resolve("index"))) {
            assertThat(index.needsRebuild()).isFalse();
            assertThat(index.appliedSeq()).isPositive();
        }
        try (TestHub hub = TestHub.restart(data)) {
            assertThat(models(hub, "search=axolotl")).containsExactly("keep/one");
        }
    }

    @Test
    void anIndexDeletedWhileStoppedIsRebuiltOnStart() throws IOException {
        try (TestHub hub = TestHub.restart(data)) {
            repo(hub, model("lost/one"), false, card("license: mit\n", "Resilient pangolin."));
            repo(hub, model("lost/two"), true, card("license: mit\n", "Secret pangolin."));
            SearchFixtures.await(() -> models(hub, "search=pangolin").size(), n -> n == 2, 10_000);
        }
        deleteTree(data.resolve("index"));
        try (TestHub hub = TestHub.restart(data)) {
            SearchFixtures.await(() -> models(hub, "search=pangolin").size(), n -> n == 2, REBUILD_MILLIS);
            assertThat(SearchFixtures.ids(SearchFixtures.json(SearchFixtures.get(hub, "/api/models?search=pangolin",
                    Optional.empty())))).containsExactly("lost/one");
        }
    }

    @Test
    void anIndexOfAnOlderSchemaOrACorruptOneIsRebuilt() throws IOException {
        try (TestHub hub = TestHub.restart(data)) {
            repo(hub, model("old/one"), false, card("license: mit\n", "Venerable tortoise."));
            SearchFixtures.await(() -> models(hub, "search=tortoise"), ids -> ids.contains("old/one"), 10_000);
        }
        try (FSDirectory dir = FSDirectory.open(data.resolve("index"));
                IndexWriter w = new IndexWriter(dir, new IndexWriterConfig())) {
            w.deleteAll();
            w.setLiveCommitData(Map.of(IndexSchema.USER_DATA_VERSION, "0").entrySet());
            w.commit();
        }
        try (TestHub hub = TestHub.restart(data)) {
            SearchFixtures.await(() -> models(hub, "search=tortoise"), ids -> ids.contains("old/one"), REBUILD_MILLIS);
        }
        assertThat(committedVersion()).isEqualTo(IndexSchema.VERSION);
        try (Stream<Path> files = Files.list(data.resolve("index"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("segments_")).toList()) {
                Files.write(f, "not a lucene commit".getBytes(StandardCharsets.UTF_8));
            }
        }
        try (TestHub hub = TestHub.restart(data)) {
            SearchFixtures.await(() -> models(hub, "search=tortoise"), ids -> ids.contains("old/one"), REBUILD_MILLIS);
        }
    }

    @Test
    void aCommitMadeWhileSearchWasNotRunningIsIndexedOnStart() {
        try (TestHub hub = TestHub.restart(data)) {
            repo(hub, model("crash/one"), false, card("license: mit\n", "Before the crash."));
        }
        // the hub died after the commit and its outbox event were durable, before search handled it
        commitOffline(card("license: mit\n", "Phoenix rising."));
        try (TestHub hub = TestHub.restart(data)) {
            SearchFixtures.await(() -> models(hub, "search=phoenix"), ids -> ids.contains("crash/one"),
                    REBUILD_MILLIS);
        }
    }

    @Test
    void aCrashBetweenTheRefMoveAndItsOutboxConfirmationIsHealedOnStart() {
        try (TestHub hub = TestHub.restart(data)) {
            repo(hub, model("crash/two"), false, card("license: mit\n", "Before the crash."));
        }
        commitOffline(card("license: mit\n", "Salamander in the ashes."));
        try (Database db = Database.open(data.resolve("quiver.db"))) {
            // exactly the state a crash leaves: the ref moved, its event still pending
            db.update("UPDATE outbox SET state = 'pending' WHERE seq = (SELECT MAX(seq) FROM outbox)");
        }
        try (TestHub hub = TestHub.restart(data)) {
            SearchFixtures.await(() -> models(hub, "search=salamander"), ids -> ids.contains("crash/two"),
                    REBUILD_MILLIS);
        }
    }

    @Test
    void changesLostFromTheIndexSinceItsLastCommitAreReplayedFromTheOutbox() throws IOException {
        try (TestHub hub = TestHub.restart(data)) {
            repo(hub, model("replay/one"), false, card("license: mit\n", "First words."));
        }
        Path snapshot = Files.createTempDirectory(data, "index-snapshot");
        copyTree(data.resolve("index"), snapshot);
        try (TestHub hub = TestHub.restart(data)) {
            SearchFixtures.commit(hub, model("replay/one"), card("license: mit\n", "Narwhal sighting."));
            SearchFixtures.await(() -> models(hub, "search=narwhal"), ids -> ids.contains("replay/one"), 10_000);
        }
        // a crash before the index committed: the index is back at its older commit, the outbox is not
        deleteTree(data.resolve("index"));
        copyTree(snapshot, data.resolve("index"));
        try (TestHub hub = TestHub.restart(data)) {
            SearchFixtures.await(() -> models(hub, "search=narwhal"), ids -> ids.contains("replay/one"),
                    REBUILD_MILLIS);
        }
    }

    private void commitOffline(Map<String, String> files) {
        try (Database db = Database.open(data.resolve("quiver.db"))) {
            Outbox outbox = new Outbox(db);
            try (RepoStore repos = new RepoStore(data, db, outbox)) {
                RepoWriter writer = new RepoWriter(repos, outbox,
                        new ContentRules(new FileBlobStore(data.resolve("lfs"))));
                var id = repos.list(dev.quiver.schema.repo.RepoType.MODEL).getLast().id();
                List<FileChange> changes = files.entrySet().stream().map(e -> (FileChange) new FileChange.Put(
                        new RepoPath(e.getKey()), e.getValue().getBytes(StandardCharsets.UTF_8))).toList();
                writer.commit(new CommitRequest(id, "main", Optional.empty(), "offline", "", RepoWriter.hubIdent(),
                        changes, false));
            }
        }
    }

    private String committedVersion() throws IOException {
        try (FSDirectory dir = FSDirectory.open(data.resolve("index"))) {
            return SegmentInfos.readLatestCommit(dir).getUserData().get(IndexSchema.USER_DATA_VERSION);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString()
                    .equals("write.lock")).toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
