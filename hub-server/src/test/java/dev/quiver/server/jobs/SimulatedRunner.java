package dev.quiver.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.schema.json.Json;
import dev.quiver.server.TestHub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

/**
 * A runner that speaks the runner protocol over HTTP and does no work: it claims, and completes at
 * once. For the queue benchmark, where what is measured is the queue, not training.
 */
final class SimulatedRunner {
    private final TestHub hub;
    private final HttpClient http;
    private final String id;

    private SimulatedRunner(TestHub hub, HttpClient http, String id) {
        this.hub = hub;
        this.http = http;
        this.id = id;
    }

    /** Registers a runner with the hub; {@code http} is shared by every simulated runner. */
    static SimulatedRunner register(TestHub hub, HttpClient http, String name) {
        JsonNode reply = json(post(hub, http, "/api/runners", "{\"name\":\"" + name + "\"}").body());
        return new SimulatedRunner(hub, http, reply.path("id").asText());
    }

    /** Long-polls for up to {@code waitSeconds}; the claimed job, or empty when none came. */
    Optional<JsonNode> claim(int waitSeconds) {
        HttpResponse<String> r = post(hub, http, "/api/runners/" + id + "/claim?wait=" + waitSeconds, "");
        if (r.statusCode() == 204) {
            return Optional.empty();
        }
        if (r.statusCode() != 200) {
            throw new IllegalStateException("claim failed: " + r.statusCode() + " " + r.body());
        }
        return Optional.of(json(r.body()));
    }

    void complete(String jobId) {
        HttpResponse<String> r = post(hub, http, "/api/runners/" + id + "/jobs/" + jobId + "/complete",
                "{\"status\":\"succeeded\",\"message\":\"simulated\"}");
        if (r.statusCode() != 200) {
            throw new IllegalStateException("complete failed: " + r.statusCode() + " " + r.body());
        }
    }

    private static JsonNode json(String body) {
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HttpResponse<String> post(TestHub hub, HttpClient http, String path, String json) {
        HttpRequest request = hub.request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
