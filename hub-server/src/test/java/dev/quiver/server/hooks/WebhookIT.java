package dev.quiver.server.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.quiver.schema.json.Json;
import dev.quiver.server.TestHub;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhooks against a real HTTP receiver that is down for a while, then comes back. */
class WebhookIT {
    TestHub hub;
    HttpServer receiver;
    volatile boolean down;
    final List<String> bodies = new CopyOnWriteArrayList<>();
    final List<String> secrets = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        hub = TestHub.start();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (down) {
                exchange.sendResponseHeaders(503, -1);
            } else {
                bodies.add(new String(body, StandardCharsets.UTF_8));
                secrets.add(exchange.getRequestHeaders().getFirst("X-Webhook-Secret"));
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        receiver.start();
        hub.createRepo("model", "acme/hooked");
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
        hub.close();
    }

    @Test
    void aReceiverThatWasDownGetsEveryDeliveryInOrderOnceBack() throws Exception {
        JsonNode hook = create("{\"watched\":[{\"type\":\"model\",\"name\":\"acme/hooked\"}],\"url\":\"" + hookUrl()
                + "\",\"domains\":[\"repo\"],\"secret\":\"s3cret\"}");
        down = true;
        List<String> commits = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            commits.add(commit("f" + i + ".txt"));
        }
        Thread.sleep(1500);
        JsonNode log = Json.mapper().readTree(hub.get("/api/settings/webhooks/" + hook.path("id").asText()
                + "/deliveries").body());
        assertThat(log.findValuesAsText("state")).contains("pending");
        assertThat(log.findValuesAsText("lastError")).anyMatch(e -> e.contains("503"));
        down = false;
        await(() -> newShas().containsAll(commits));
        assertThat(newShas()).containsSubsequence(commits);
        assertThat(secrets).containsOnly("s3cret");
        JsonNode first = null;
        for (String b : bodies) {
            JsonNode n = Json.mapper().readTree(b);
            if (n.has("updatedRefs")) {
                first = n;
                break;
            }
        }
        assertThat(first).isNotNull();
        assertThat(first.path("event").path("scope").asText()).isEqualTo("repo.content");
        assertThat(first.path("repo").path("name").asText()).isEqualTo("acme/hooked");
        assertThat(first.path("webhook").path("id").asText()).isEqualTo(hook.path("id").asText());
    }

    @Test
    void aDeliveryCanBeReplayed() throws Exception {
        JsonNode hook = create("{\"watched\":[{\"type\":\"org\",\"name\":\"acme\"}],\"url\":\"" + hookUrl() + "\"}");
        String sha = commit("x.txt");
        await(() -> newShas().contains(sha));
        JsonNode log = Json.mapper().readTree(hub.get("/api/settings/webhooks/" + hook.path("id").asText()
                + "/deliveries").body());
        long delivery = log.get(0).path("id").asLong();
        int before = bodies.size();
        HttpResponse<String> replay = post("/api/settings/webhooks/" + hook.path("id").asText() + "/deliveries/"
                + delivery + "/replay", "");
        assertThat(replay.statusCode()).isEqualTo(200);
        awaitOr(() -> bodies.size() > before, () -> hub.get("/api/settings/webhooks/" + hook.path("id").asText()
                + "/deliveries").body());
    }

    @Test
    void badWebhooksAreRefused() {
        assertThat(post("/api/settings/webhooks", "{\"watched\":[],\"url\":\"" + hookUrl() + "\"}").statusCode())
                .isEqualTo(400);
        assertThat(post("/api/settings/webhooks", "{\"watched\":[{\"type\":\"model\",\"name\":\"a/b\"}],\"url\":"
                + "\"file:///etc/passwd\"}").statusCode()).isEqualTo(400);
        HttpResponse<String> anonymous = hub.send(HttpRequest.newBuilder(java.net.URI.create(hub.url()
                + "/api/settings/webhooks")).GET().build());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    private List<String> newShas() {
        List<String> shas = new ArrayList<>();
        for (String b : bodies) {
            try {
                Json.mapper().readTree(b).path("updatedRefs").forEach(r -> shas.add(r.path("newSha").asText()));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return shas;
    }

    private JsonNode create(String body) throws Exception {
        HttpResponse<String> r = post("/api/settings/webhooks", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.mapper().readTree(r.body()).path("webhook");
    }

    private String commit(String path) throws Exception {
        String ndjson = "{\"key\":\"header\",\"value\":{\"summary\":\"" + path + "\"}}\n{\"key\":\"file\",\"value\":"
                + "{\"path\":\"" + path + "\",\"content\":\"" + Base64.getEncoder().encodeToString(path.getBytes())
                + "\"}}\n";
        HttpResponse<String> r = hub.send(hub.request("/api/models/acme/hooked/commit/main")
                .POST(HttpRequest.BodyPublishers.ofString(ndjson)).build());
        return Json.mapper().readTree(r.body()).path("commitOid").asText();
    }

    private HttpResponse<String> post(String path, String body) {
        return hub.send(hub.request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private String hookUrl() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        awaitOr(condition, () -> "");
    }

    private static void awaitOr(java.util.function.BooleanSupplier condition, java.util.function.Supplier<String> state)
            throws InterruptedException {
        for (int i = 0; i < 600 && !condition.getAsBoolean(); i++) {
            Thread.sleep(100);
        }
        assertThat(condition.getAsBoolean()).as("condition within 60 s; %s", state.get()).isTrue();
    }
}
