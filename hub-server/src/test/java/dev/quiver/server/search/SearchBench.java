package dev.quiver.server.search;

import dev.quiver.server.BenchOptions;
import dev.quiver.server.TestHub;
import dev.quiver.server.ui.SearchPageTiming;
import dev.quiver.server.repo.RepoId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The search benchmark: builds an index of generated repositories (see {@link BenchCorpus}), starts a
 * real hub over it, measures how soon a commit becomes findable, then drives a mix of listing and
 * search requests over HTTP from concurrent clients ({@link WrkLoad}: wrk in its own process), and
 * the web UI's time to first result in Chromium. Run by {@code hub-server/bench/search-bench.sh}.
 *
 * <p>Arguments: {@code --repos N} (100000), {@code --clients N} (16), {@code --seconds N} (30),
 * {@code --warmup N} (10), {@code --seed N} (42), {@code --git-repos N} (1000; 0 skips the rebuild from git),
 * {@code --wrk 1|0} (1; 0 runs the clients in this JVM), {@code --kind-seconds N} (10; service time per
 * request kind from one client in this JVM, 0 skips), {@code --web-ui 1|0} (1).
 */
public final class SearchBench {
    private SearchBench() {
    }

    public static void main(String[] args) throws Exception {
        // a 40 s warm-up: with 10 s the hub was still compiling, and merging what the build left,
        // while queries alone were measured (p99 24-29 ms, then 9-11 ms with commits 30 s later)
        Map<String, Integer> opt = BenchOptions.parse(args,
                Map.of("repos", 100_000, "clients", 16, "seconds", 30, "warmup", 40, "seed", 42,
                        "git-repos", 1000, "wrk", 1, "kind-seconds", 10, "web-ui", 1));
        int repos = opt.get("repos");
        Path data = Files.createTempDirectory("quiver-search-bench-");
        try {
            System.out.printf("machine: %d cores, java %s, max heap %d MiB%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
            long buildMillis = build(data, repos, opt.get("seed"));
            System.out.printf("index build: %d repositories in %.1f s (%.0f docs/s), index on disk %d MiB, "
                    + "heap used after build %d MiB%n", repos, buildMillis / 1000.0, repos * 1000.0 / buildMillis,
                    size(data.resolve("index")) >> 20, heapUsedMiB());
            try (TestHub hub = TestHub.restart(data)) {
                String user = SearchFixtures.userToken(hub, "bench-user");
                if (opt.get("web-ui") == 0) {
                    System.out.println("web UI timing skipped (--web-ui 0)");
                } else if (SearchPageTiming.available()) {
                    // the first sample also warms the hub's JIT; each has a cold browser profile
                    for (SearchPageTiming.Sample t : SearchPageTiming.measure(hub.url(), "support", "support",
                            "customer support", "llama", "técnico", "legal summarization")) {
                        System.out.printf("web UI search page, q=%s: first results drawn %.0f ms after navigation "
                                + "(page mark), first hit visible after %d ms (wall clock)%n", t.query(),
                                t.firstResultsMs(), t.wallMs());
                    }
                } else {
                    System.out.println("web UI timing skipped: no Chromium (run scripts/install-test-deps)");
                }
                long[] idle = visibility(hub, 20, "idle");
                report("change visible (idle)", idle);
                if (opt.get("wrk") == 1 && WrkLoad.available()) {
                    wrkLoad(hub, user, data, opt);
                } else {
                    if (opt.get("wrk") == 1) {
                        System.out.println("wrk not found: the clients run in the hub's JVM");
                    }
                    jvmLoad(hub, user, opt.get("clients"), opt.get("warmup"), opt.get("seconds"), opt.get("seed"),
                            true);
                }
                if (opt.get("kind-seconds") > 0) {
                    System.out.println("service time per kind: 1 client in the hub's JVM (java.net.http)");
                    jvmLoad(hub, user, 1, Math.min(5, opt.get("warmup")), opt.get("kind-seconds"), opt.get("seed"),
                            false);
                }
                System.out.printf("heap used while serving (after GC): %d MiB%n", heapUsedMiB());
            }
            if (opt.get("git-repos") > 0) {
                rebuildFromGit(data.resolve("git"), opt.get("git-repos"));
            }
        } finally {
            try (Stream<Path> walk = Files.walk(data)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static long build(Path data, int repos, int seed) throws Exception {
        long start = System.nanoTime();
        int threads = Runtime.getRuntime().availableProcessors();
        try (SearchIndex index = SearchIndex.open(data.resolve("index"));
                ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            // as the hub's rebuild does: searches refreshed seldom while the index fills
            index.bulk(() -> {
                List<Future<?>> parts = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int first = t;
                    parts.add(pool.submit(() -> {
                        for (int i = first; i < repos; i += threads) {
                            index.put(BenchCorpus.document(i, seed));
                        }
                    }));
                }
                for (Future<?> f : parts) {
                    try {
                        f.get();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            index.commit();
            index.refresh();
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /**
     * The headline load: wrk in its own process, closed loop, {@code --clients} connections; first
     * queries only, then again while commits are made and timed until findable (each one starts a
     * new reader, which carries over the answers the change cannot have touched).
     */
    private static void wrkLoad(TestHub hub, String user, Path data, Map<String, Integer> opt) throws Exception {
        WrkLoad wrk = new WrkLoad(hub.url(), user, data, opt.get("seed"));
        int clients = opt.get("clients");
        wrk.run(clients, opt.get("warmup"));
        wrkRun(wrk, clients, opt.get("seconds"), "queries only");
        Future<long[]> busy = Executors.newVirtualThreadPerTaskExecutor().submit(() -> visibility(hub, 10, "load"));
        wrkRun(wrk, clients, opt.get("seconds"), "queries while commits are made");
        report("change visible (under load)", busy.get());
    }

    private static void wrkRun(WrkLoad wrk, int clients, int seconds, String what) throws Exception {
        long hubCpuBefore = processCpuNanos();
        long machineBefore = machineBusyJiffies();
        long[] cacheBefore = GenerationCache.hitsMissesCarriedRecent();
        long openedBefore = FacetedSearcher.opened();
        WrkLoad.Result r = wrk.run(clients, seconds);
        long opened = FacetedSearcher.opened() - openedBefore;
        long hubCpu = processCpuNanos() - hubCpuBefore;
        long machineJiffies = machineBusyJiffies() - machineBefore;
        long[] cache = GenerationCache.hitsMissesCarriedRecent();
        System.out.printf("%s (wrk, separate process, 1 thread, %d connections, closed loop): %d s, %d requests, "
                + "%d non-2xx, %d socket errors, throughput %.0f req/s%n", what, clients, seconds, r.requests(),
                r.non2xx(), r.socketErrors(), r.throughput());
        System.out.printf("  latency: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n", r.p50() / 1e3,
                r.p90() / 1e3, r.p99() / 1e3, r.max() / 1e3);
        System.out.printf("  CPU per request: hub %.2f ms, wrk %.2f ms, whole machine %.2f ms%n",
                hubCpu / 1e6 / Math.max(1, r.requests()), r.wrkCpuSeconds() * 1e3 / Math.max(1, r.requests()),
                machineJiffies * 10.0 / Math.max(1, r.requests()));
        long hits = cache[0] - cacheBefore[0];
        long misses = cache[1] - cacheBefore[1];
        long carried = cache[2] - cacheBefore[2];
        long recent = cache[3] - cacheBefore[3];
        System.out.printf("  reader-generation caches (answers, facet counts): %d hits, %d misses (%.1f%% hits); "
                + "of the misses %d carried from the reader before, %d served its answer while another computed; "
                + "%d readers opened%n", hits, misses, 100.0 * hits / Math.max(1, hits + misses), carried, recent, opened);
    }

    /** Clients in this JVM (java.net.http), sharing its CPU and heap with the hub; latencies per kind. */
    private static void jvmLoad(TestHub hub, String user, int clients, int warmup, int seconds, int seed,
            boolean probeVisibility) throws Exception {
        Load load = new Load(hub, user, clients, seed);
        load.run(warmup);
        load.reset();
        Future<long[]> busy = Executors.newVirtualThreadPerTaskExecutor()
                .submit(() -> probeVisibility ? visibility(hub, 10, "load") : new long[0]);
        long cpuBefore = processCpuNanos();
        long[] latencies = load.run(seconds);
        long cpuUsed = processCpuNanos() - cpuBefore;
        if (probeVisibility) {
            report("change visible (under load)", busy.get());
        }
        System.out.printf("queries (in-JVM clients): %d clients, %d s, %d requests, %d errors, throughput %.0f req/s%n",
                clients, seconds, latencies.length, load.errors.get(), latencies.length / (double) seconds);
        report("query latency (in-JVM)", latencies);
        System.out.printf("CPU per request (hub and clients together, whole process): %.2f ms%n",
                cpuUsed / 1e6 / Math.max(1, latencies.length));
        load.perKind().forEach((kind, l) -> report("  " + kind, l));
    }

    /** CPU time the whole machine spent busy (not idle, not waiting for I/O), in jiffies of 10 ms. */
    private static long machineBusyJiffies() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i < Math.min(f.length, 9); i++) {
            busy += i == 4 || i == 5 ? 0 : Long.parseLong(f[i]);
        }
        return busy;
    }

    /**
     * The rebuild a hub does when its index is lost: {@code n} real repositories (adapter card and
     * config committed through the write path), the index deleted while stopped, then timed from the
     * start of the hub until search finds them all.
     */
    private static void rebuildFromGit(Path data, int n) throws IOException {
        try (TestHub hub = TestHub.restart(data)) {
            for (int i = 0; i < n; i++) {
                SearchFixtures.repo(hub, SearchFixtures.model("git-" + (i % 97) + "/adapter-" + i), false,
                        SearchFixtures.adapter("org/base-" + (i % 13), "main", "tags:\n- rebuilt\n",
                                BenchCorpus.document(i, 7).cardText()));
            }
        }
        try (Stream<Path> walk = Files.walk(data.resolve("index"))) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        long start = System.nanoTime();
        try (TestHub hub = TestHub.restart(data)) {
            while (!hub.get("/api/quiver/search?tag=rebuilt&limit=1").body().contains("\"total\":" + n + ",")) {
                sleep(20);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("rebuild from git: %d repositories searchable %.1f s after start (%.0f repos/s)%n", n,
                    seconds, n / seconds);
        }
    }

    /** Commits {@code n} new cards, each with a word nothing else has, and times until a search finds it. */
    private static long[] visibility(TestHub hub, int n, String tag) {
        long[] micros = new long[n];
        for (int i = 0; i < n; i++) {
            String word = "zzvis" + tag + i + "q";
            RepoId id = SearchFixtures.model("bench-probe/" + tag + "-" + i);
            SearchFixtures.repo(hub, id, false, Map.of());
            long start = System.nanoTime();
            SearchFixtures.commit(hub, id, SearchFixtures.card("license: mit\n", "Probe " + word + "."));
            while (!hub.get("/api/models?search=" + word).body().contains(id.id())) {
                if (System.nanoTime() - start > 10_000_000_000L) {
                    throw new IllegalStateException(word + " not visible after 10 s");
                }
                sleep(5);
            }
            micros[i] = (System.nanoTime() - start) / 1000;
        }
        return micros;
    }

    /** Concurrent clients sending a fixed mix of requests; latencies in microseconds. */
    private static final class Load {
        private final TestHub hub;
        private final String userToken;
        private final int clients;
        private final int seed;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final AtomicInteger errors = new AtomicInteger();
        private final List<List<long[]>> byKind = new ArrayList<>();
        private final BenchQueries queries = new BenchQueries();

        Load(TestHub hub, String userToken, int clients, int seed) {
            this.hub = hub;
            this.userToken = userToken;
            this.clients = clients;
            this.seed = seed;
        }

        void reset() {
            errors.set(0);
            byKind.clear();
        }

        long[] run(int seconds) throws Exception {
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            List<Future<List<long[]>>> results = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int c = 0; c < clients; c++) {
                    SplittableRandom r = new SplittableRandom(seed * 31L + c + System.nanoTime());
                    results.add(pool.submit(() -> client(r, end)));
                }
                List<long[]> all = new ArrayList<>();
                for (Future<List<long[]>> f : results) {
                    all.addAll(f.get());
                }
                byKind.add(all);
                return all.stream().mapToLong(x -> x[1]).toArray();
            }
        }

        private List<long[]> client(SplittableRandom r, long end) {
            List<long[]> out = new ArrayList<>();
            while (System.nanoTime() < end) {
                BenchQueries.Query q = queries.next(r);
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.url() + q.path())).GET();
                if (r.nextInt(4) == 0) {
                    b.header("Authorization", "Bearer " + userToken);
                }
                long start = System.nanoTime();
                try {
                    HttpResponse<byte[]> res = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                    if (res.statusCode() != 200) {
                        errors.incrementAndGet();
                    }
                } catch (IOException e) {
                    errors.incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return out;
                }
                out.add(new long[] {q.kind(), (System.nanoTime() - start) / 1000});
            }
            return out;
        }

        Map<String, long[]> perKind() {
            Map<String, long[]> m = new java.util.LinkedHashMap<>();
            List<long[]> all = byKind.stream().flatMap(List::stream).toList();
            for (int k = 0; k < BenchQueries.KINDS.length; k++) {
                int kind = k;
                m.put(BenchQueries.KINDS[k], all.stream().filter(x -> x[0] == kind).mapToLong(x -> x[1]).toArray());
            }
            return m;
        }
    }

    static void report(String what, long[] micros) {
        if (micros.length == 0) {
            System.out.printf("%s: no samples%n", what);
            return;
        }
        long[] s = micros.clone();
        Arrays.sort(s);
        System.out.printf("%s: n=%d p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n", what, s.length,
                pct(s, 50), pct(s, 90), pct(s, 99), s[s.length - 1] / 1000.0);
    }

    private static double pct(long[] sorted, double p) {
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1000.0;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long heapUsedMiB() {
        System.gc();
        sleep(200);
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
