package dev.quiver.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.CommitApi;
import dev.quiver.server.BenchOptions;
import dev.quiver.server.TestHub;
import dev.quiver.server.db.Database;
import dev.quiver.server.repo.RepoId;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The job queue benchmark. Against a real hub over HTTP: (a) how soon an idle runner long-polling
 * the claim endpoint gets the job a dataset commit (HF commit API) queues; (b) how fast many
 * simulated runners drain a deep queue when they claim and complete at once. Beside (b), the same
 * drain in this process straight through {@link JobStore} (no HTTP), and through the naive glue
 * ({@link NaiveClaimLoop}). Run by {@code hub-server/bench/queue-bench.sh}.
 *
 * <p>Arguments: {@code --commits N} (200), {@code --warmup N} (20 commits not counted), {@code --jobs N}
 * (10000), {@code --runners N} (32), {@code --enqueuers N} (8 clients queueing the deep queue).
 */
public final class QueueBench {
    private static final String RECIPE = """
            base_model: {repo: acme/bench-base}
            dataset: {repo: acme/bench-data, branch: main, files: ["*.jsonl"], format: qa}
            lora: {r: 2, alpha: 4, target_modules: [q_proj, v_proj]}
            """;
    private static final RepoId ADAPTER = RepoId.of(RepoType.MODEL, "acme/bench-lora");

    private QueueBench() {
    }

    /** A job an idle runner got, and when. */
    private record Claimed(String datasetCommit, long atNanos) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, Integer> opt = BenchOptions.parse(args,
                Map.of("commits", 200, "warmup", 20, "jobs", 10_000, "runners", 32, "enqueuers", 8));
        System.out.printf("machine: %d cores, load average %.2f at the start, java %s, max heap %d MiB%n",
                Runtime.getRuntime().availableProcessors(), loadAverage(), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20);
        Path scratch = Files.createTempDirectory("quiver-queue-bench-");
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            double overHttp;
            try (TestHub hub = TestHub.start()) {
                seed(hub);
                commitToClaim(hub, http, opt.get("warmup"), opt.get("commits"));
                enqueueOverHttp(hub, http, opt.get("jobs"), opt.get("enqueuers"));
                overHttp = drainOverHttp(hub, http, opt.get("jobs"), opt.get("runners"));
            }
            double inProcess = drainInProcess(scratch.resolve("store.db"), opt.get("jobs"), opt.get("runners"));
            long start = System.nanoTime();
            Latencies naive = NaiveClaimLoop.drain(scratch.resolve("naive.db"), opt.get("jobs"), opt.get("runners"));
            double naiveRate = rate("drain, naive glue (plain JDBC, no HTTP)", naive.count(), start, naive);
            System.out.printf("ratio: hub over HTTP / naive glue %.2f; JobStore in process / naive glue %.2f%n",
                    overHttp / naiveRate, inProcess / naiveRate);
        } finally {
            try (Stream<Path> walk = Files.walk(scratch)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.out.printf("load average at the end: %.2f%n", loadAverage());
    }

    private static void seed(TestHub hub) {
        hub.createRepo("model", "acme/bench-base");
        CommitApi.commitOid(CommitApi.to(hub, "models/acme/bench-base", "base").file("config.json",
                "{\"model_type\":\"llama\"}").post("main"));
        hub.createRepo("dataset", "acme/bench-data");
        CommitApi.commitOid(CommitApi.to(hub, "datasets/acme/bench-data", "rows").file("train.jsonl",
                "{\"question\":\"q\",\"answer\":\"a\"}\n").post("main"));
        hub.createRepo("model", ADAPTER.id());
        CommitApi.commitOid(CommitApi.to(hub, "models/" + ADAPTER.id(), "recipe").file("quiver.yaml", RECIPE)
                .post("main"));
    }

    /** (a): dataset commits one at a time, each timed until the idle runner holds its job. */
    private static void commitToClaim(TestHub hub, HttpClient http, int warmup, int commits) throws Exception {
        BlockingQueue<Claimed> claimed = new LinkedBlockingQueue<>();
        SimulatedRunner runner = SimulatedRunner.register(hub, http, "idle");
        Thread idle = Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    Optional<JsonNode> job = runner.claim(25); // the real runner's long-poll
                    long at = System.nanoTime();
                    job.ifPresent(j -> {
                        claimed.add(new Claimed(j.path("spec").path("datasetCommit").asText(), at));
                        runner.complete(j.path("id").asText());
                    });
                }
            } catch (IllegalStateException e) {
                // interrupted once the commits are done (a failure before shows as a commit never claimed)
            }
        });
        Latencies toClaim = new Latencies();
        Latencies ackToClaim = new Latencies();
        Latencies commit = new Latencies();
        for (int i = 0; i < warmup + commits; i++) {
            long start = System.nanoTime();
            String oid = CommitApi.commitOid(CommitApi.to(hub, "datasets/acme/bench-data", "rows " + i)
                    .file("rows-" + i + ".jsonl", "{\"question\":\"q" + i + "\",\"answer\":\"a\"}\n").post("main"));
            long acked = System.nanoTime();
            Claimed c = claimed.poll(30, TimeUnit.SECONDS);
            if (c == null || !c.datasetCommit().equals(oid)) {
                throw new IllegalStateException("commit " + oid + " was not claimed next: " + c);
            }
            if (i >= warmup) {
                toClaim.add(c.atNanos() - start);
                ackToClaim.add(c.atNanos() - acked);
                commit.add(acked - start);
            }
        }
        idle.interrupt();
        System.out.printf("(a) dataset commit -> claimed by an idle long-polling runner, %d commits after %d warm-up:%n",
                commits, warmup);
        System.out.println("    commit sent -> job claimed: " + toClaim);
        System.out.println("    commit request alone:       " + commit);
        System.out.println("    commit answered -> claimed: " + ackToClaim);
    }

    /** Queues the deep queue as a person or a CI would: {@code POST /api/quiver/train}, from several clients. */
    private static void enqueueOverHttp(TestHub hub, HttpClient http, int jobs, int clients) throws Exception {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            threads.add(Thread.ofVirtual().start(() -> {
                while (next.getAndIncrement() < jobs) {
                    String body = SimulatedRunner.post(hub, http, "/api/quiver/train",
                            "{\"repo\":\"" + ADAPTER.id() + "\"}").body();
                    ids.add(body.replaceFirst("(?s).*?\"id\":\"([0-9a-f]+)\".*", "$1"));
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("(b) queued %d distinct jobs over HTTP with %d clients in %.1f s (%.0f jobs/s)%n", ids.size(),
                clients, seconds, ids.size() / seconds);
    }

    /** (b): runners claim and complete at once until the queue is empty. */
    private static double drainOverHttp(TestHub hub, HttpClient http, int jobs, int runners) throws Exception {
        Latencies claims = new Latencies();
        List<SimulatedRunner> all = new ArrayList<>();
        for (int r = 0; r < runners; r++) {
            all.add(SimulatedRunner.register(hub, http, "sim-" + r));
        }
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (SimulatedRunner runner : all) {
            threads.add(Thread.ofVirtual().start(() -> {
                while (true) {
                    long t = System.nanoTime();
                    Optional<JsonNode> job = runner.claim(1);
                    if (job.isEmpty()) {
                        return;
                    }
                    claims.add(System.nanoTime() - t);
                    runner.complete(job.get().path("id").asText());
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return rate("drain, hub over HTTP (claim + complete)", claims.count(), start, claims);
    }

    /** The same drain through {@link JobStore} in this process: the database's share of (b). */
    private static double drainInProcess(Path file, int jobs, int runners) throws Exception {
        try (Database db = Database.open(file)) {
            JobStore store = new JobStore(db);
            JobSpec spec = new JobSpec(ADAPTER.id(), "0".repeat(40), RECIPE, "", "", "", "", "", "bench");
            for (int i = 0; i < jobs; i++) {
                store.enqueue(JobKind.TRAIN, ADAPTER, "bench-" + i, spec, "bench");
            }
            Latencies claims = new Latencies();
            long start = System.nanoTime();
            List<Thread> threads = new ArrayList<>();
            for (int r = 0; r < runners; r++) {
                String runner = "store-" + r;
                threads.add(Thread.ofVirtual().start(() -> {
                    while (true) {
                        long t = System.nanoTime();
                        Optional<Job> job = store.claim(runner, java.time.Duration.ofMinutes(1));
                        if (job.isEmpty()) {
                            return;
                        }
                        claims.add(System.nanoTime() - t);
                        store.finish(job.get().id(), runner, JobStatus.SUCCEEDED, "simulated", Optional.empty());
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            return rate("drain, JobStore in process (no HTTP)", claims.count(), start, claims);
        }
    }

    private static double rate(String what, int jobs, long startNanos, Latencies claims) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double rate = jobs / seconds;
        System.out.printf("%s: %d jobs in %.1f s, %.0f jobs/s; claim latency %s%n", what, jobs, seconds, rate, claims);
        return rate;
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
