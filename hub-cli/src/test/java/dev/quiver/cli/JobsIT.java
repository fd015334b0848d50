package dev.quiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.schema.json.Json;
import dev.quiver.schema.safetensors.Dtype;
import dev.quiver.schema.safetensors.SafetensorsWriter;
import dev.quiver.server.TestHub;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quiver jobs}: a retrain is queued, listed, shown, its log read, and it is cancelled. */
class JobsIT {
    static final String RECIPE = """
            base_model: {repo: admin/jobs-base}
            dataset: {repo: admin/jobs-data, branch: main, files: ["*.jsonl"], format: qa}
            lora: {r: 2, alpha: 4, target_modules: [q_proj, v_proj]}
            output: {branch: main}
            """;
    static TestHub hub;
    @TempDir
    static Path dir;
    static Cli cli;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.start();
        cli = Cli.against(hub.url(), hub.token(), dir);
        Path base = Files.createDirectories(dir.resolve("base"));
        new SafetensorsWriter().add("model.layers.0.self_attn.q_proj.weight", Dtype.F32, new long[] {4, 4},
                CommandsIT.zeros(16)).write(base.resolve("model.safetensors"));
        Files.writeString(base.resolve("config.json"), "{\"model_type\":\"llama\"}");
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("train.jsonl"), "{\"question\":\"q\",\"answer\":\"a\"}\n");
        Path lora = Files.createDirectories(dir.resolve("lora"));
        Files.writeString(lora.resolve("quiver.yaml"), RECIPE);
        for (String[] r : new String[][] {{"admin/jobs-base", "model", base.toString()},
            {"admin/jobs-data", "dataset", data.toString()}, {"admin/jobs-lora", "model", lora.toString()}}) {
            assertThat(cli.run("repo", "create", r[0], "--repo-type", r[1]).exit()).isZero();
            Cli.Result up = cli.run("upload", r[0], r[2], "--repo-type", r[1]);
            assertThat(up.exit()).as(up.toString()).isZero();
        }
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void aRetrainIsQueuedListedShownLoggedAndCancelled() throws Exception {
        Cli.Result train = cli.run("jobs", "train", "admin/jobs-lora", "--json");
        assertThat(train.exit()).as(train.toString()).isZero();
        String id = train.json().path("id").asText();
        assertThat(train.json().path("kind").asText()).isEqualTo("train");
        assertThat(train.json().path("repo").asText()).isEqualTo("admin/jobs-lora");

        JsonNode list = cli.run("jobs", "list", "--json").json();
        assertThat(list.findValuesAsText("id")).contains(id);
        assertThat(cli.run("jobs", "list", "--repo", "admin/jobs-lora", "--json").json().findValuesAsText("id")).contains(id);
        assertThat(cli.run("jobs", "list").out()).contains("ID", id, "admin/jobs-lora");
        assertThat(cli.run("jobs", "show", "admin/" + id, "--json").json().path("status").asText()).isIn("queued", "running");

        // a runner claims it and reports a log line over the runner API
        String runner = Json.mapper().readTree(post("/api/runners", "{\"name\":\"sim\"}").body()).path("id").asText();
        HttpResponse<String> claim = post("/api/runners/" + runner + "/claim?wait=10", "");
        assertThat(claim.statusCode()).as(claim.body()).isEqualTo(200);
        post("/api/runners/" + runner + "/jobs/" + id + "/logs", "{\"lines\":[\"step 1 loss 2.0\"]}");
        Cli.Result logs = cli.run("jobs", "logs", id);
        assertThat(logs.exit()).as(logs.toString()).isZero();
        assertThat(logs.out()).contains("step 1 loss 2.0");

        // a queued job is cancelled at once; a running one is asked to stop (its runner ends it)
        String queued = cli.run("jobs", "train", "admin/jobs-lora", "--json").json().path("id").asText();
        Cli.Result cancel = cli.run("jobs", "cancel", queued, "--json");
        assertThat(cancel.exit()).as(cancel.toString()).isZero();
        assertThat(cancel.json().path("status").asText()).isEqualTo("cancelled");
        Cli.Result follow = cli.run("jobs", "logs", "admin/" + queued, "--follow");
        assertThat(follow.exit()).as("a cancelled job did not succeed").isEqualTo(ExitCodes.FAILURE);
        assertThat(cli.run("jobs", "cancel", id).exit()).isZero();
    }

    @Test
    void unknownJobsAndReposWithoutARecipeAreNotFoundOrRefused() {
        assertThat(cli.run("jobs", "show", "admin/no-such-job").exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(cli.run("jobs", "show", "a/b/c").exit()).isEqualTo(ExitCodes.BAD_INPUT);
        Cli.Result noRecipe = cli.run("jobs", "train", "admin/jobs-base");
        assertThat(noRecipe.exit()).as(noRecipe.toString()).isNotZero();
        assertThat(noRecipe.err()).contains("quiver.yaml");
    }

    static HttpResponse<String> post(String path, String json) {
        return hub.postJson(path, json);
    }
}
