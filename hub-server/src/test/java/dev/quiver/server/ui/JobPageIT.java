package dev.quiver.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.quiver.schema.json.Json;
import dev.quiver.server.TestHub;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A training run watched in the browser while a runner (simulated over the runner API) reports:
 * the job appears in the repository's list, its page draws logs and the loss curve as they arrive,
 * and cancelling from the page stops it.
 */
class JobPageIT {
    private static final String RECIPE = """
            base_model: {repo: acme/tiny-base}
            dataset: {repo: acme/support, branch: main, files: ["*.jsonl"], format: qa}
            lora: {r: 2, alpha: 4, target_modules: [q_proj, v_proj]}
            output: {branch: main}
            """;

    private TestHub hub;
    private Browser browser;
    private BrowserContext context;
    private final List<String> pageErrors = new ArrayList<>();

    @BeforeEach
    void start() {
        hub = TestHub.start();
        UiSeed seed = new UiSeed(hub);
        seed.create("model", "acme/tiny-base")
                .file("config.json", "{\"model_type\":\"llama\"}")
                .lfs("model.safetensors", UiSeed.safetensors("model.layers.0.self_attn.q_proj.weight", new long[] {8, 8},
                        "model.layers.0.self_attn.v_proj.weight", new long[] {8, 8}))
                .push();
        seed.create("dataset", "acme/support").file("train.jsonl", "{\"question\":\"q\",\"answer\":\"a\"}\n").push();
        seed.create("model", "acme/support-lora").file("quiver.yaml", RECIPE).push();
        browser = new Browser();
        context = browser.context(false);
        context.addInitScript("sessionStorage.setItem('quiver.token', '" + hub.token() + "')");
    }

    @AfterEach
    void stop() {
        context.close();
        browser.close();
        hub.close();
    }

    @Test
    void logsAndLossCurveGrowWhileTheRunnerReportsAndCancelStopsIt() throws Exception {
        new UiSeed(hub).commit("dataset", "acme/support", "More data")
                .file("more.jsonl", "{\"question\":\"q2\",\"answer\":\"a2\"}\n").push();
        String runner = json(post("/api/runners", "{\"name\":\"sim-runner\"}")).path("id").asText();
        JsonNode job = json(post("/api/runners/" + runner + "/claim?wait=15", ""));
        String id = job.path("id").asText();
        assertThat(id).isNotEmpty();
        String base = "/api/runners/" + runner + "/jobs/" + id;

        Page page = context.newPage();
        page.onPageError(pageErrors::add);
        page.navigate(hub.url() + "/acme/support-lora/jobs");
        Locator row = page.locator("table.jobs tbody tr").first();
        assertThat(row).containsText("train");
        assertThat(row.locator(".badge")).hasText("running");
        assertThat(row).containsText(runner);
        row.locator("a").first().click();
        assertThat(page).hasURL(hub.url() + "/jobs/acme/" + id);

        post(base + "/metrics", "{\"points\":[{\"epoch\":0,\"eval_loss\":2.5},"
                + "{\"step\":1,\"loss\":2.0,\"learning_rate\":0.001,\"tokens_per_second\":900},"
                + "{\"step\":2,\"loss\":1.6,\"learning_rate\":0.0009},{\"step\":3,\"loss\":1.3,\"learning_rate\":0.0008}]}");
        post(base + "/logs", "{\"lines\":[\"step 3/10  loss 1.3000\"]}");
        Locator loss = page.locator(".chart figcaption").first();
        assertThat(loss).hasText("Loss — 1.3 at step 3 (dots: eval loss)");
        assertThat(page.locator(".chart circle.series-b-point")).hasCount(1);
        assertThat(page.locator(".chart polyline.series-a").first()).hasAttribute("points",
                java.util.regex.Pattern.compile("(\\S+ ){2}\\S+"));
        assertThat(page.locator(".logs")).containsText("step 3/10  loss 1.3000");
        assertThat(page.locator(".eval-line")).containsText("2.5000 (base)");

        post(base + "/metrics", "{\"points\":[{\"step\":4,\"loss\":1.1,\"learning_rate\":0.0007}]}");
        assertThat(loss).hasText("Loss — 1.1 at step 4 (dots: eval loss)");
        assertThat(page.locator(".chart figcaption").nth(1)).hasText("Learning rate — 7.00e-4 at step 4");
        Browser.screenshot(page, "20-job-running");

        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Cancel")).click();
        assertThat(page.locator(".job-head [role=status]")).containsText("Cancel requested");
        assertThat(json(post(base + "/heartbeat", "")).path("cancel").asBoolean()).isTrue();
        post(base + "/complete", "{\"status\":\"cancelled\",\"message\":\"cancelled at step 4\"}");
        assertThat(page.locator(".job-head .badge")).hasText("cancelled");
        assertThat(page.locator(".job-head")).containsText("cancelled at step 4");
        assertThat(json(hub.get("/api/jobs/acme/" + id)).path("quiver").path("status").asText()).isEqualTo("cancelled");
        Browser.screenshot(page, "21-job-cancelled");
        assertThat(pageErrors).isEmpty();
    }

    private HttpResponse<String> post(String path, String body) {
        HttpResponse<String> r = hub.send(hub.request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
        return r;
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.mapper().readTree(r.body());
    }
}
