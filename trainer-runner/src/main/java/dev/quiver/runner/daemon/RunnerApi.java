package dev.quiver.runner.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.client.HubHttp;
import dev.quiver.client.HubHttp.Options;
import dev.quiver.client.HubHttp.Subject;
import dev.quiver.schema.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The hub's runner protocol: register, long-poll for a job, heartbeat, stream logs and metrics, report. */
public final class RunnerApi {
    private final HubHttp http;
    private final String runnerId;
    private final Duration lease;

    private RunnerApi(HubHttp http, String runnerId, Duration lease) {
        this.http = http;
        this.runnerId = runnerId;
        this.lease = lease;
    }

    /** Registers with the hub and returns the API bound to the new runner id. */
    public static RunnerApi register(HubHttp http, String name, Map<String, Object> capabilities) {
        JsonNode reply = http.sendJson("POST", "/api/runners", Map.of("name", name, "capabilities", capabilities),
                Options.WRITE, Subject.NONE);
        return new RunnerApi(http, reply.path("id").asText(), Duration.ofSeconds(reply.path("leaseSeconds").asLong(30)));
    }

    public String runnerId() {
        return runnerId;
    }

    /** How long the hub keeps a claim without a heartbeat. */
    public Duration lease() {
        return lease;
    }

    /** Waits up to {@code wait} for a job; empty when none came. */
    public Optional<ClaimedJob> claim(Duration wait) {
        HttpRequest request = HttpRequest.newBuilder(http.url(base() + "/claim?wait=" + wait.toSeconds()))
                .timeout(wait.plusSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<InputStream> response = http.send(request, Options.WRITE);
        try (InputStream in = response.body()) {
            byte[] body = in.readAllBytes();
            if (response.statusCode() == 204) {
                return Optional.empty();
            }
            if (response.statusCode() != 200) {
                throw http.failure(response.statusCode(), response.headers(), body, Subject.NONE);
            }
            return Optional.of(ClaimedJob.of(Json.mapper().readTree(body)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a heartbeat tells the runner. */
    public record Beat(boolean held, boolean cancel) {
    }

    public Beat heartbeat(String jobId) {
        JsonNode reply = post(jobPath(jobId) + "/heartbeat", Map.of());
        return new Beat(reply.path("held").asBoolean(false), reply.path("cancel").asBoolean(false));
    }

    public void logs(String jobId, List<String> lines) {
        post(jobPath(jobId) + "/logs", Map.of("lines", lines));
    }

    public void metrics(String jobId, List<Map<String, Object>> points) {
        post(jobPath(jobId) + "/metrics", Map.of("points", points));
    }

    public JsonNode complete(String jobId, Map<String, Object> report) {
        return post(jobPath(jobId) + "/complete", report);
    }

    private JsonNode post(String path, Object body) {
        return http.sendJson("POST", path, body, Options.WRITE, Subject.NONE);
    }

    private String base() {
        return "/api/runners/" + runnerId;
    }

    private String jobPath(String jobId) {
        return base() + "/jobs/" + jobId;
    }
}
