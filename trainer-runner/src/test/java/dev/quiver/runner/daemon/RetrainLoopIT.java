package dev.quiver.runner.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.client.ClientSettings;
import dev.quiver.client.CommitOptions;
import dev.quiver.client.HubClient;
import dev.quiver.client.LocalFile;
import dev.quiver.client.RepoRef;
import dev.quiver.client.TlsTrust;
import dev.quiver.client.TransferListener;
import dev.quiver.client.Uploader;
import dev.quiver.runner.model.Architecture;
import dev.quiver.runner.model.TinyModelWriter;
import dev.quiver.schema.json.Json;
import dev.quiver.server.TestHub;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop with real parts: a hub, runner processes (separate JVMs), real training. A dataset
 * commit retrains the adapter; the verified adapter lands on main with its provenance; a runner
 * killed mid-job loses the job to another; a hub restarted mid-job finds its runner still on the job;
 * a gate keeps a bad adapter off main.
 */
class RetrainLoopIT {
    static final String RECIPE = """
            base_model: {repo: acme/tiny-llama}
            dataset: {repo: acme/soporte, branch: main, files: ["data/*.jsonl"], format: qa, eval: {fraction: 0.2, seed: 7}}
            lora: {r: 8, alpha: 16, dropout: 0.0, target_modules: [q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj]}
            training: {epochs: %d, learning_rate: 1.0e-2, batch_size: 8, max_length: 128, warmup_ratio: 0.0, seed: 42}
            gate: {required_checks: [static, dynamic], min_eval_loss_improvement: %s}
            output: {branch: main, candidate_branch: quiver/candidate}
            """;

    @TempDir
    Path tmp;
    TestHub hub;
    HubClient client;
    final List<Process> runners = new ArrayList<>();

    @BeforeEach
    void seed() throws Exception {
        hub = TestHub.start(c -> c.withJobLease(Duration.ofSeconds(4)));
        client = HubClient.create(new ClientSettings(Optional.of(URI.create(hub.url())), Optional.of(hub.token()),
                tmp.resolve("cache"), tmp.resolve("login.json"), TlsTrust.JDK));
        Path base = tmp.resolve("tiny-llama");
        TinyModelWriter.write(base, new TinyModelWriter.Spec(Architecture.LLAMA, 2, 64, 4, 2, 7));
        client.createRepo(RepoRef.model("acme/tiny-llama"), false, false);
        upload(RepoRef.model("acme/tiny-llama"), base, "Tiny base model");
        client.createRepo(RepoRef.dataset("acme/soporte"), false, false);
        Path data = Files.createDirectories(tmp.resolve("soporte/data"));
        Files.copy(Path.of("src/test/resources/data/support-qa.jsonl"), data.resolve("train.jsonl"));
        upload(RepoRef.dataset("acme/soporte"), tmp.resolve("soporte"), "First rows");
        client.createRepo(RepoRef.model("acme/soporte-lora"), false, false);
    }

    @AfterEach
    void stop() {
        runners.forEach(Process::destroyForcibly);
        hub.close();
    }

    @Test
    void aDatasetCommitRetrainsVerifiesAndLandsTheAdapterWithProvenance() throws Exception {
        writeRecipe(3, "0.0");
        startRunner("r1");
        String datasetCommit = addRows("more.jsonl", 0);
        JsonNode job = awaitFinishedJob(1, Duration.ofMinutes(10));
        assertThat(job.path("quiver").path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        String landed = job.path("quiver").path("resultCommit").asText();
        assertThat(client.resolveCommit(RepoRef.model("acme/soporte-lora"), "main")).isEqualTo(landed);
        JsonNode config = Json.mapper().readTree(resolve("acme/soporte-lora", landed, "adapter_config.json"));
        String baseCommit = client.resolveCommit(RepoRef.model("acme/tiny-llama"), "main");
        assertThat(config.path("base_model_name_or_path").asText()).isEqualTo("acme/tiny-llama");
        assertThat(config.path("revision").asText()).isEqualTo(baseCommit);
        String card = resolve("acme/soporte-lora", landed, "README.md");
        assertThat(card).contains("base_model: acme/tiny-llama", "base_model_revision: " + baseCommit,
                "acme/soporte", datasetCommit, "model-index");
        JsonNode checks = Json.mapper().readTree(hub.get("/api/models/acme/soporte-lora/checks/main").body());
        assertThat(checks.path("status").asText()).as(checks.toString()).isEqualTo("passed");
        assertThat(checks.path("checks").findValuesAsText("name")).contains("static", "dynamic");
        JsonNode metrics = Json.mapper().readTree(hub.get("/api/models/acme/soporte-lora/checks/main").body());
        assertThat(metrics.toString()).contains("eval_loss_adapter");
    }

    @Test
    void aRunnerKilledMidJobLosesItAndAnotherFinishesWithOneAdapterCommit() throws Exception {
        writeRecipe(6, "0.0");
        Process first = startRunner("doomed");
        addRows("more.jsonl", 0);
        awaitLog("epoch 1:", Duration.ofMinutes(8));
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        startRunner("rescuer");
        JsonNode job = awaitFinishedJob(1, Duration.ofMinutes(12));
        assertThat(job.path("attempts").asInt()).isEqualTo(2);
        assertThat(job.path("quiver").path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        long adapterCommits = client.listCommits(RepoRef.model("acme/soporte-lora"), "main", 100).stream()
                .filter(c -> c.title().startsWith("Retrain on")).count();
        assertThat(adapterCommits).isEqualTo(1);
    }

    @Test
    void aHubStoppedMidJobForLongerThanTheLeaseAndStartedAgainGetsTheJobFinishedWithOneAdapterCommit()
            throws Exception {
        writeRecipe(6, "0.0");
        Process runner = startRunner("steady");
        addRows("more.jsonl", 0);
        awaitLog("epoch 1:", Duration.ofMinutes(8));
        hub = hub.restartAfter(Duration.ofSeconds(10)); // 2.5 leases without a heartbeat getting through
        assertThat(runner.isAlive()).as("the runner waits for the hub").isTrue();
        JsonNode job = awaitFinishedJob(1, Duration.ofMinutes(12));
        assertThat(job.path("quiver").path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.path("attempts").asInt()).as("the runner kept its job across the restart").isEqualTo(1);
        long adapterCommits = client.listCommits(RepoRef.model("acme/soporte-lora"), "main", 100).stream()
                .filter(c -> c.title().startsWith("Retrain on")).count();
        assertThat(adapterCommits).isEqualTo(1);
    }

    @Test
    void anAdapterThatDoesNotImproveEnoughDoesNotMoveMainAndSaysWhy() throws Exception {
        writeRecipe(2, "50.0"); // no adapter lowers eval loss by 50 nats: the gate must refuse it
        String mainBefore = client.resolveCommit(RepoRef.model("acme/soporte-lora"), "main");
        startRunner("r1");
        addRows("more.jsonl", 0);
        JsonNode job = awaitFinishedJob(1, Duration.ofMinutes(10));
        assertThat(job.path("quiver").path("status").asText()).isEqualTo("failed");
        assertThat(job.path("status").path("message").asText()).contains("gate failed", "below the required 50");
        assertThat(client.resolveCommit(RepoRef.model("acme/soporte-lora"), "main")).isEqualTo(mainBefore);
    }

    // --- helpers -------------------------------------------------------------------------------

    private void writeRecipe(int epochs, String minImprovement) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("recipe"));
        Files.writeString(dir.resolve("quiver.yaml"), RECIPE.formatted(epochs, minImprovement));
        upload(RepoRef.model("acme/soporte-lora"), dir, "Follow acme/soporte");
    }

    private String addRows(String name, int seed) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("rows-" + name + seed + "/data"));
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            rows.append("{\"question\": \"¿Cómo reinicio el router ").append(i + seed)
                    .append("?\", \"answer\": \"Desenchúfelo 30 segundos y vuelva a conectarlo.\"}\n");
        }
        Files.writeString(dir.resolve(name), rows);
        return upload(RepoRef.dataset("acme/soporte"), dir.getParent(), "More rows");
    }

    private String upload(RepoRef repo, Path folder, String message) throws IOException {
        List<LocalFile> files = new ArrayList<>();
        try (var walk = Files.walk(folder)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.add(new LocalFile(p, folder.relativize(p).toString()));
            }
        }
        return new Uploader(client, TransferListener.NONE, 2).upload(repo, files, CommitOptions.of("main", message))
                .commitOid();
    }

    private Process startRunner(String name) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "dev.quiver.runner.Main", "runner", "--hub", hub.url(), "--token", hub.token(), "--name", name,
                "--work-dir", tmp.resolve("work-" + name).toString());
        pb.environment().put("HF_HUB_CACHE", tmp.resolve("cache-" + name).toString());
        pb.redirectErrorStream(true).redirectOutput(tmp.resolve("runner-" + name + ".log").toFile());
        Process p = pb.start();
        runners.add(p);
        return p;
    }

    private JsonNode awaitFinishedJob(int count, Duration limit) throws Exception {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            JsonNode jobs = Json.mapper().readTree(hub.get("/api/jobs/acme").body());
            List<JsonNode> train = new ArrayList<>();
            jobs.forEach(j -> {
                if (j.path("quiver").path("kind").asText().equals("train")) {
                    train.add(j);
                }
            });
            if (train.size() >= count && train.stream().allMatch(j -> j.path("finishedAt").isTextual())) {
                assertThat(train).hasSize(count);
                return train.getFirst();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no finished job in " + limit + "; runner log:\n" + runnerLogs());
    }

    private void awaitLog(String text, Duration limit) throws Exception {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            JsonNode jobs = Json.mapper().readTree(hub.get("/api/jobs/acme").body());
            if (jobs.size() > 0) {
                String logs = hub.get("/api/jobs/acme/" + jobs.get(0).path("id").asText() + "/logs?follow=false").body();
                if (logs.contains(text)) {
                    return;
                }
            }
            Thread.sleep(300);
        }
        throw new AssertionError("no log line with '" + text + "'; runner log:\n" + runnerLogs());
    }

    private String resolve(String repo, String rev, String path) {
        return hub.get("/" + repo + "/resolve/" + rev + "/" + path).body();
    }

    private String runnerLogs() throws IOException {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.list(tmp)) {
            for (Path p : files.filter(f -> f.getFileName().toString().startsWith("runner-")).toList()) {
                sb.append("== ").append(p.getFileName()).append('\n').append(Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        return sb.toString();
    }
}
