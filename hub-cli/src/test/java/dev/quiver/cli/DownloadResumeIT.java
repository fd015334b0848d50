package dev.quiver.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quiver.client.ClientSettings;
import dev.quiver.client.Downloader;
import dev.quiver.client.HfCache;
import dev.quiver.client.HubClient;
import dev.quiver.client.PathFilter;
import dev.quiver.client.RepoRef;
import dev.quiver.client.TlsTrust;
import dev.quiver.client.TransferListener;
import dev.quiver.server.TestHub;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interrupted downloads resume with Range from what is on disk, a corrupt partial file is never
 * kept, and two downloads of one file into one place take turns instead of writing it at once.
 */
class DownloadResumeIT {
    static final long SIZE = (24L << 20) + 17;
    static TestHub hub;
    static byte[] content;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        hub = TestHub.start();
        Cli cli = Cli.against(hub.url(), hub.token(), dir);
        cli.run("repo", "create", "admin/resume");
        content = TransferRoundTripIT.random(SIZE, 7);
        Path src = dir.resolve("src");
        Files.createDirectories(src);
        Files.write(src.resolve("big.bin"), content);
        Cli.Result up = cli.run("upload", "admin/resume", src.toString());
        assertThat(up.exit()).as(up.toString()).isZero();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    /** Stands in for a crash: throws once {@code limit} bytes have arrived. */
    static final class Crash implements TransferListener {
        final long limit;
        final AtomicLong seen = new AtomicLong();

        Crash(long limit) {
            this.limit = limit;
        }

        @Override
        public void progressed(String path, long bytes) {
            if (seen.addAndGet(bytes) > limit) {
                throw new IllegalStateException("simulated crash");
            }
        }
    }

    /** Records every progress report on the large file (the small .gitattributes may come first or not at all). */
    static final class Recorder implements TransferListener {
        final List<Long> reports = new CopyOnWriteArrayList<>();

        @Override
        public void progressed(String path, long bytes) {
            if (path.equals("big.bin")) {
                reports.add(bytes);
            }
        }
    }

    private static Downloader downloader(Path cache, TransferListener listener) {
        ClientSettings settings = new ClientSettings(Optional.of(URI.create(hub.url())), Optional.of(hub.token()), cache,
                cache.resolve("login.json"), TlsTrust.JDK);
        return new Downloader(HubClient.create(settings), new HfCache(cache), listener, 4);
    }

    @Test
    void anInterruptedDownloadResumesFromTheBytesOnDiskAndEndsByteExact(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache");
        RepoRef repo = RepoRef.model("admin/resume");
        assertThatThrownBy(() -> downloader(cache, new Crash(10L << 20)).snapshot(repo, "main", PathFilter.ALL, false))
                .hasMessageContaining("simulated crash");
        Path blobs = cache.resolve("models--admin--resume/blobs");
        Path incomplete;
        try (var list = Files.list(blobs)) {
            incomplete = list.filter(p -> p.toString().endsWith(".incomplete")).findFirst().orElseThrow();
        }
        long partial = Files.size(incomplete);
        assertThat(partial).isBetween(1L, SIZE - 1);

        Recorder recorder = new Recorder();
        Downloader.SnapshotResult r = downloader(cache, recorder).snapshot(repo, "main", PathFilter.ALL, false);
        // the first report is what was already on disk; the rest is what came over the wire
        assertThat(recorder.reports.get(0)).isEqualTo(partial);
        long transferred = recorder.reports.stream().skip(1).mapToLong(Long::longValue).sum();
        assertThat(transferred).isEqualTo(SIZE - partial);
        assertThat(Files.readAllBytes(r.folder().resolve("big.bin"))).isEqualTo(content);
        assertThat(incomplete).doesNotExist();
    }

    @Test
    void theCliFinishesAPartialDownloadLeftInTheCache(@TempDir Path dir) throws Exception {
        Cli cli = Cli.against(hub.url(), hub.token(), dir);
        String etag = sha256(content);
        Path incomplete = cli.cache().resolve("models--admin--resume/blobs/" + etag + ".incomplete");
        Files.createDirectories(incomplete.getParent());
        Files.write(incomplete, java.util.Arrays.copyOf(content, 5_000_000));

        Cli.Result r = cli.run("download", "admin/resume", "big.bin");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(Files.readAllBytes(Path.of(r.out().strip()))).isEqualTo(content);
        assertThat(incomplete).doesNotExist();
    }

    @Test
    void aCorruptPartialFileFailsVerificationIsRemovedAndTheNextRunSucceeds(@TempDir Path dir) throws Exception {
        Cli cli = Cli.against(hub.url(), hub.token(), dir);
        Path incomplete = cli.cache().resolve("models--admin--resume/blobs/" + sha256(content) + ".incomplete");
        Files.createDirectories(incomplete.getParent());
        byte[] wrong = java.util.Arrays.copyOf(content, 1_000_000);
        wrong[500] ^= 1;
        Files.write(incomplete, wrong);

        Cli.Result bad = cli.run("download", "admin/resume");
        assertThat(bad.exit()).as(bad.toString()).isEqualTo(ExitCodes.FAILURE);
        assertThat(bad.err()).contains("does not match", "run the command again");
        assertThat(incomplete).doesNotExist();
        assertThat(cli.cache().resolve("models--admin--resume/blobs/" + sha256(content))).doesNotExist();

        Cli.Result good = cli.run("download", "admin/resume", "--json");
        assertThat(good.exit()).as(good.toString()).isZero();
        assertThat(Files.readAllBytes(Path.of(good.json().path("path").asText()).resolve("big.bin"))).isEqualTo(content);
    }

    /** Holds the first download at its first bytes until the second says it waits for it. */
    static final class FirstInLine implements TransferListener {
        final CountDownLatch transferring = new CountDownLatch(1);
        final CountDownLatch secondWaits = new CountDownLatch(1);

        @Override
        public void progressed(String path, long bytes) {
            if (bytes > 0 && transferring.getCount() > 0) {
                transferring.countDown();
                try {
                    assertThat(secondWaits.await(10, TimeUnit.SECONDS)).as("the second download waits").isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** The second download: says when it waits, and counts the bytes it moves itself. */
    static final class SecondInLine implements TransferListener {
        final FirstInLine first;
        final AtomicLong moved = new AtomicLong();

        SecondInLine(FirstInLine first) {
            this.first = first;
        }

        @Override
        public void waiting(String path) {
            first.secondWaits.countDown();
        }

        @Override
        public void progressed(String path, long bytes) {
            moved.addAndGet(bytes);
        }
    }

    /** Runs {@code download} twice at once, the second starting while the first moves bytes; returns both results. */
    private static <T> List<T> twoAtOnce(Path cache, BiFunction<Downloader, TransferListener, T> download)
            throws Exception {
        FirstInLine first = new FirstInLine();
        SecondInLine second = new SecondInLine(first);
        List<T> results;
        // threads of their own: the common pool may have a single one, which the first would hold
        try (ExecutorService two = Executors.newFixedThreadPool(2)) {
            Future<T> a = two.submit(() -> download.apply(downloader(cache, first), first));
            assertThat(first.transferring.await(10, TimeUnit.SECONDS)).isTrue();
            Future<T> b = two.submit(() -> download.apply(downloader(cache, second), second));
            results = List.of(a.get(60, TimeUnit.SECONDS), b.get(60, TimeUnit.SECONDS));
        }
        assertThat(second.moved).as("the second fetched nothing: the first had put the file in place").hasValue(0);
        return results;
    }

    @Test
    void twoDownloadsOfOneFileIntoOneCacheTakeTurnsAndFetchItOnce(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache");
        RepoRef repo = RepoRef.model("admin/resume");
        List<Path> files = twoAtOnce(cache, (d, l) -> d.file(repo, "main", "big.bin", false));
        for (Path f : files) {
            assertThat(Files.readAllBytes(f)).isEqualTo(content);
        }
        try (var blobs = Files.list(cache.resolve("models--admin--resume/blobs"))) {
            assertThat(blobs.map(p -> p.getFileName().toString())).containsExactly(sha256(content));
        }
        assertThat(cache.resolve(".locks/models--admin--resume/" + sha256(content) + ".lock")).exists();
    }

    @Test
    void twoSnapshotsAtOnceEachCountOnlyWhatTheyFetchedThemselves(@TempDir Path dir) throws Exception {
        RepoRef repo = RepoRef.model("admin/resume");
        PathFilter onlyTheLargeFile = new PathFilter(List.of("big.bin"), List.of());
        List<Downloader.SnapshotResult> results = twoAtOnce(dir.resolve("cache"),
                (d, l) -> d.snapshot(repo, "main", onlyTheLargeFile, false));
        assertThat(results.get(0).fetched()).isEqualTo(1);
        assertThat(results.get(0).bytesFetched()).isEqualTo(SIZE);
        assertThat(results.get(1).fetched()).isZero();
        assertThat(results.get(1).bytesFetched()).isZero();
        assertThat(Files.readAllBytes(results.get(1).folder().resolve("big.bin"))).isEqualTo(content);
    }

    @Test
    void snapshotsRacingIntoOneCacheAllSucceedAndLeaveNoPartialFiles(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache");
        RepoRef repo = RepoRef.model("admin/resume");
        List<Downloader.SnapshotResult> results = new ArrayList<>();
        try (ExecutorService four = Executors.newFixedThreadPool(4)) {
            List<Future<Downloader.SnapshotResult>> running = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                running.add(four.submit(() -> downloader(cache, TransferListener.NONE).snapshot(repo, "main",
                        PathFilter.ALL, false)));
            }
            for (Future<Downloader.SnapshotResult> r : running) {
                results.add(r.get(60, TimeUnit.SECONDS));
            }
        }
        for (Downloader.SnapshotResult r : results) {
            assertThat(Files.readAllBytes(r.folder().resolve("big.bin"))).isEqualTo(content);
            assertThat(r.folder().resolve(".gitattributes")).isRegularFile();
        }
        assertThat(results.stream().mapToLong(Downloader.SnapshotResult::bytesFetched).sum())
                .as("the large file once; the small .gitattributes by each that found it missing").isGreaterThanOrEqualTo(SIZE)
                .isLessThan(2 * SIZE);
        try (var blobs = Files.list(cache.resolve("models--admin--resume/blobs"))) {
            assertThat(blobs.map(p -> p.getFileName().toString())).hasSize(2).noneMatch(n -> n.endsWith(".incomplete"));
        }
        // only the large file is locked; small ones go through files of each thread's own
        try (var locks = Files.list(cache.resolve(".locks/models--admin--resume"))) {
            assertThat(locks.map(p -> p.getFileName().toString())).containsExactly(sha256(content) + ".lock");
        }
    }

    @Test
    void twoDownloadsOfOneFileIntoOneLocalFolderTakeTurnsToo(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("out");
        RepoRef repo = RepoRef.model("admin/resume");
        List<Path> files = twoAtOnce(dir.resolve("cache"), (d, l) -> d.file(repo, "main", "big.bin", folder, false));
        assertThat(files).containsOnly(folder.resolve("big.bin"));
        assertThat(Files.readAllBytes(folder.resolve("big.bin"))).isEqualTo(content);
        try (var bookkeeping = Files.list(folder.resolve(".cache/huggingface/download"))) {
            assertThat(bookkeeping.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("big.bin.metadata",
                    "big.bin.lock");
        }
    }

    static String sha256(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    }
}
