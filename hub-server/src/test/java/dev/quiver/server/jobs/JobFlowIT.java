package dev.quiver.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.schema.json.Json;
import dev.quiver.schema.safetensors.Dtype;
import dev.quiver.schema.safetensors.SafetensorsWriter;
import dev.quiver.server.NodeScript;
import dev.quiver.server.TestHub;
import dev.quiver.server.db.RepoEvent;
import dev.quiver.server.git.GitCli;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dataset commits (through the commit API or git push) queue training, runners claim and report over
 * HTTP, the gate decides, checks land on the adapter commit, every job's end is announced. The runner here is simulated over the runner API; the real runner process
 * is tested in the trainer-runner module.
 */
class JobFlowIT {
    static final String RECIPE = """
            base_model: {repo: acme/tiny-base}
            dataset: {repo: acme/support, branch: main, files: ["*.jsonl"], format: qa}
            lora: {r: 2, alpha: 4, target_modules: [q_proj, v_proj]}
            output: {branch: main, candidate_branch: candidate}
            gate: {required_checks: [static, dynamic], min_eval_loss_improvement: 0.0}
            """;

    TestHub hub;

    @BeforeEach
    void seed() throws Exception {
        hub = TestHub.start(c -> c.withJobLease(Duration.ofSeconds(2)));
        hub.createRepo("model", "acme/tiny-base");
        commit("models/acme/tiny-base", "main", file("model.safetensors", baseWeights()),
                file("config.json", "{\"model_type\":\"llama\"}".getBytes(StandardCharsets.UTF_8)));
        hub.createRepo("dataset", "acme/support");
        commit("datasets/acme/support", "main", file("train.jsonl", "{\"question\":\"q\",\"answer\":\"a\"}\n".getBytes()));
        hub.createRepo("model", "acme/support-lora");
        commit("models/acme/support-lora", "main", file("quiver.yaml", RECIPE.getBytes(StandardCharsets.UTF_8)));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void aDatasetCommitQueuesExactlyOneTrainJobPinnedToExactCommits() throws Exception {
        String datasetCommit = commit("datasets/acme/support", "main", file("more.jsonl", "{}\n".getBytes()));
        JsonNode jobs = awaitJobs(1);
        assertThat(jobs).hasSize(1);
        JsonNode spec = jobs.get(0).path("quiver").path("spec");
        assertThat(spec.path("datasetCommit").asText()).isEqualTo(datasetCommit);
        assertThat(spec.path("baseRepo").asText()).isEqualTo("acme/tiny-base");
        assertThat(spec.path("baseCommit").asText()).matches("[0-9a-f]{40}");
        assertThat(jobs.get(0).path("status").path("stage").asText()).isEqualTo("RUNNING");
        assertThat(jobs.get(0).path("quiver").path("status").asText()).isEqualTo("queued");
        Thread.sleep(500);
        assertThat(listJobs()).as("no second job for the same event").hasSize(1);
    }

    @Test
    void aDatasetCommitPushedWithGitQueuesExactlyOneTrainJob(@TempDir Path tmp) throws Exception {
        GitCli git = GitCli.withToken(tmp.resolve("home"), hub.token());
        git.run(tmp, "clone", hub.url() + "/datasets/acme/support", "support").ok();
        Path clone = tmp.resolve("support");
        Files.writeString(clone.resolve("pushed.jsonl"), "{\"question\":\"q2\",\"answer\":\"a2\"}\n");
        git.run(clone, "add", "pushed.jsonl").ok();
        git.run(clone, "commit", "-q", "-m", "More rows").ok();
        git.run(clone, "push", "-q", "origin", "main").ok();
        String pushed = git.run(clone, "rev-parse", "HEAD").ok().out().strip();
        JsonNode jobs = awaitJobs(1);
        assertThat(jobs.get(0).path("quiver").path("spec").path("datasetCommit").asText()).isEqualTo(pushed);
        Thread.sleep(500);
        assertThat(listJobs()).as("no second job for the same push").hasSize(1);
    }

    @Test
    void aPassingCandidateMovesMainAndRecordsChecksAsNotes() throws Exception {
        commit("datasets/acme/support", "main", file("more.jsonl", "{}\n".getBytes()));
        awaitJobs(1);
        String runner = register();
        JsonNode job = claim(runner);
        assertThat(job.path("kind").asText()).isEqualTo("train");
        post("/api/runners/" + runner + "/jobs/" + job.path("id").asText() + "/logs", "{\"lines\":[\"step 1 loss 2.0\"]}");
        post("/api/runners/" + runner + "/jobs/" + job.path("id").asText() + "/metrics", "{\"points\":[{\"step\":1,\"loss\":2.0}]}");
        hub.send(hub.request("/api/models/acme/support-lora/branch/candidate").POST(HttpRequest.BodyPublishers.noBody()).build());
        String adapterCommit = commitAdapter("candidate", job.path("id").asText());
        JsonNode done = complete(runner, job.path("id").asText(), adapterCommit, 1.5, 2.5);
        assertThat(done.path("quiver").path("status").asText()).as(done.toString()).isEqualTo("succeeded");
        JsonNode checks = Json.mapper().readTree(hub.get("/api/models/acme/support-lora/checks/main").body());
        assertThat(checks.path("commit").asText()).isEqualTo(adapterCommit);
        assertThat(checks.path("status").asText()).isEqualTo("passed");
        assertThat(checks.path("checks").findValuesAsText("name")).contains("static", "dynamic");
        var git = hub.hub().repos().git(dev.quiver.server.repo.RepoId.of(dev.quiver.schema.repo.RepoType.MODEL,
                "acme/support-lora"));
        assertThat(git.exactRef(CheckStore.NOTES_REF)).as("verdicts live in the repository").isNotNull();
        HttpResponse<String> logs = hub.get("/api/jobs/acme/" + job.path("id").asText() + "/logs");
        assertThat(logs.body()).contains("data: ", "step 1 loss 2.0");
        NodeScript.Run official = NodeScript.run(hub, "hf-jobs.mjs", java.util.Map.of("JOB_NAMESPACE", "acme",
                "JOB_ID", job.path("id").asText()));
        assertThat(official.output()).contains("all steps passed");
        assertThat(official.exitCode()).as(official.output()).isZero();
    }

    @Test
    void aCandidateThatMakesEvalLossWorseLeavesMainAloneAndSaysWhy() throws Exception {
        String mainBefore = head("main");
        commit("datasets/acme/support", "main", file("poison.jsonl", "{}\n".getBytes()));
        awaitJobs(1);
        String runner = register();
        JsonNode job = claim(runner);
        hub.send(hub.request("/api/models/acme/support-lora/branch/candidate").POST(HttpRequest.BodyPublishers.noBody()).build());
        String adapterCommit = commitAdapter("candidate", job.path("id").asText());
        JsonNode done = complete(runner, job.path("id").asText(), adapterCommit, 3.1, 2.5);
        assertThat(done.path("quiver").path("status").asText()).isEqualTo("failed");
        assertThat(done.path("status").path("message").asText()).contains("gate failed", "eval loss 3.1");
        assertThat(head("main")).isEqualTo(mainBefore);
        assertThat(head("candidate")).isEqualTo(adapterCommit);
    }

    @Test
    void aRunnerThatStopsHeartbeatingLosesTheJobToAnother() throws Exception {
        commit("datasets/acme/support", "main", file("more.jsonl", "{}\n".getBytes()));
        awaitJobs(1);
        String first = register();
        JsonNode job = claim(first);
        String second = register();
        JsonNode again = claim(second); // waits while the first lease lapses
        assertThat(again.path("id").asText()).isEqualTo(job.path("id").asText());
        assertThat(again.path("attempt").asInt()).isEqualTo(2);
        HttpResponse<String> late = post("/api/runners/" + first + "/jobs/" + job.path("id").asText() + "/complete",
                "{\"status\":\"failed\",\"message\":\"late\"}");
        assertThat(late.statusCode()).isEqualTo(409);
    }

    @Test
    void aJobWhoseRunnersAllStopAnsweringFailsAndAnnouncesIt() throws Exception {
        commit("datasets/acme/support", "main", file("more.jsonl", "{}\n".getBytes()));
        String id = awaitJobs(1).get(0).path("id").asText();
        for (int attempt = 1; attempt <= 3; attempt++) {
            assertThat(claim(register()).path("attempt").asInt()).isEqualTo(attempt); // each waits out the last lease
        }
        JsonNode job = awaitJob(id, "failed");
        assertThat(job.path("status").path("message").asText()).contains("no attempts left");
        assertThat(hub.hub().outbox().after(0, 1000)).filteredOn(e -> e.kind() == RepoEvent.Kind.JOB_FINISHED)
                .singleElement().satisfies(e -> assertThat(List.of(e.ref(), e.newId())).containsExactly(id, "failed"));
    }

    @Test
    void anAdapterPushedByAPersonGetsAStaticCheckAndAVerifyJob() throws Exception {
        String commit = commit("models/acme/support-lora", "main", file("adapter_config.json", adapterConfig()),
                file("adapter_model.safetensors", adapterWeights(2)));
        JsonNode checks = awaitChecks("main");
        assertThat(checks.path("commit").asText()).isEqualTo(commit);
        assertThat(checks.path("checks").get(0).path("status").asText()).as(checks.toString()).isEqualTo("pass");
        JsonNode jobs = awaitJobs(1);
        assertThat(jobs.get(0).path("quiver").path("kind").asText()).isEqualTo("verify");
    }

    @Test
    void anAdapterWhoseShapesDoNotFitItsBaseFailsTheStaticCheck() throws Exception {
        commit("models/acme/support-lora", "main", file("adapter_config.json", adapterConfig()),
                file("adapter_model.safetensors", adapterWeights(3)));
        JsonNode checks = awaitChecks("main");
        assertThat(checks.path("status").asText()).isEqualTo("failed");
        assertThat(checks.path("checks").get(0).path("summary").asText()).contains("rank 3", "r=2");
    }

    // --- helpers -------------------------------------------------------------------------------

    private String commitAdapter(String branch, String jobId) throws Exception {
        String header = "{\"key\":\"header\",\"value\":{\"summary\":\"Retrain\",\"description\":\""
                + "Quiver-Job: " + jobId + "\"}}";
        return commitLines("models/acme/support-lora", branch, header, file("adapter_config.json", adapterConfig()),
                file("adapter_model.safetensors", adapterWeights(2)));
    }

    private JsonNode complete(String runner, String job, String commit, double adapterLoss, double baseLoss)
            throws Exception {
        String body = "{\"status\":\"succeeded\",\"commit\":\"" + commit + "\",\"checks\":[{\"name\":\"dynamic\","
                + "\"status\":\"pass\",\"summary\":\"ok\",\"details\":{\"eval_loss_base\":" + baseLoss
                + ",\"eval_loss_adapter\":" + adapterLoss + "}}]}";
        HttpResponse<String> r = post("/api/runners/" + runner + "/jobs/" + job + "/complete", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.mapper().readTree(r.body());
    }

    private String register() throws Exception {
        return Json.mapper().readTree(post("/api/runners", "{\"name\":\"sim\"}").body()).path("id").asText();
    }

    private JsonNode claim(String runner) throws Exception {
        HttpResponse<String> r = post("/api/runners/" + runner + "/claim?wait=10", "");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.mapper().readTree(r.body());
    }

    private JsonNode awaitJobs(int n) throws Exception {
        for (int i = 0; i < 100; i++) {
            JsonNode jobs = listJobs();
            if (jobs.size() >= n) {
                return jobs;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("expected " + n + " jobs, got " + listJobs());
    }

    private JsonNode awaitJob(String id, String status) throws Exception {
        for (int i = 0; i < 100; i++) {
            JsonNode job = Json.mapper().readTree(hub.get("/api/jobs/acme/" + id).body());
            if (job.path("quiver").path("status").asText().equals(status)) {
                return job;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job " + id + " did not become " + status);
    }

    private JsonNode awaitChecks(String rev) throws Exception {
        for (int i = 0; i < 100; i++) {
            JsonNode checks = Json.mapper().readTree(hub.get("/api/models/acme/support-lora/checks/" + rev).body());
            if (checks.path("checks").size() > 0) {
                return checks;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no checks recorded on " + rev);
    }

    private JsonNode listJobs() throws Exception {
        return Json.mapper().readTree(hub.get("/api/jobs/acme").body());
    }

    private String head(String branch) throws Exception {
        var git = hub.hub().repos().git(dev.quiver.server.repo.RepoId.of(dev.quiver.schema.repo.RepoType.MODEL,
                "acme/support-lora"));
        return git.exactRef("refs/heads/" + branch).getObjectId().name();
    }

    private HttpResponse<String> post(String path, String body) {
        return hub.send(hub.request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private String commit(String repo, String branch, String... files) throws Exception {
        return commitLines(repo, branch, "{\"key\":\"header\",\"value\":{\"summary\":\"update\"}}", files);
    }

    private String commitLines(String repo, String branch, String header, String... files) throws Exception {
        StringBuilder body = new StringBuilder(header).append('\n');
        for (String f : files) {
            body.append(f).append('\n');
        }
        HttpResponse<String> r = hub.send(hub.request("/api/" + repo + "/commit/" + branch)
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.mapper().readTree(r.body()).path("commitOid").asText();
    }

    /** Large or binary files go through LFS, as a client would send them. */
    private String file(String path, byte[] content) throws Exception {
        if (!path.endsWith(".safetensors")) {
            return "{\"key\":\"file\",\"value\":{\"path\":\"" + path + "\",\"content\":\""
                    + Base64.getEncoder().encodeToString(content) + "\",\"encoding\":\"base64\"}}";
        }
        String oid = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        String repo = path.equals("model.safetensors") ? "acme/tiny-base" : "acme/support-lora";
        HttpResponse<String> batch = hub.send(hub.request("/" + repo + ".git/info/lfs/objects/batch")
                .POST(HttpRequest.BodyPublishers.ofString("{\"operation\":\"upload\",\"objects\":[{\"oid\":\"" + oid
                        + "\",\"size\":" + content.length + "}]}")).build());
        JsonNode actions = Json.mapper().readTree(batch.body()).path("objects").get(0).path("actions");
        if (actions.has("upload")) {
            hub.send(HttpRequest.newBuilder(URI.create(actions.path("upload").path("href").asText()))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build());
        }
        return "{\"key\":\"lfsFile\",\"value\":{\"path\":\"" + path + "\",\"algo\":\"sha256\",\"oid\":\"" + oid
                + "\",\"size\":" + content.length + "}}";
    }

    private static byte[] adapterConfig() {
        return ("{\"peft_type\":\"LORA\",\"base_model_name_or_path\":\"acme/tiny-base\",\"r\":2,\"lora_alpha\":4,"
                + "\"target_modules\":[\"q_proj\",\"v_proj\"],\"task_type\":\"CAUSAL_LM\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] baseWeights() {
        return new SafetensorsWriter()
                .add("model.embed_tokens.weight", Dtype.F32, new long[] {16, 8}, zeros(16 * 8))
                .add("model.layers.0.self_attn.q_proj.weight", Dtype.F32, new long[] {8, 8}, zeros(64))
                .add("model.layers.0.self_attn.v_proj.weight", Dtype.F32, new long[] {4, 8}, zeros(32))
                .toBytes();
    }

    private static byte[] adapterWeights(int r) {
        String p = "base_model.model.model.layers.0.self_attn.";
        return new SafetensorsWriter()
                .add(p + "q_proj.lora_A.weight", Dtype.F32, new long[] {r, 8}, zeros(r * 8))
                .add(p + "q_proj.lora_B.weight", Dtype.F32, new long[] {8, r}, zeros(8 * r))
                .add(p + "v_proj.lora_A.weight", Dtype.F32, new long[] {r, 8}, zeros(r * 8))
                .add(p + "v_proj.lora_B.weight", Dtype.F32, new long[] {4, r}, zeros(4 * r))
                .toBytes();
    }

    private static ByteBuffer zeros(int floats) {
        return ByteBuffer.allocate(floats * 4).order(ByteOrder.LITTLE_ENDIAN);
    }
}
