package dev.quiver.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.client.HubException.Problem;
import dev.quiver.client.HubHttp.Options;
import dev.quiver.client.HubHttp.Subject;
import dev.quiver.schema.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Jobs and verification checks, Quiver's additions to the Hub API: listing, reading, following the
 * logs of and cancelling jobs ({@code /api/jobs/{namespace}/...}, the HF Jobs API's paths), starting a
 * retrain, and reading the checks recorded on an adapter commit. A hub without these answers 404,
 * which becomes {@link Problem#UNSUPPORTED} with a message that says so.
 */
public final class JobsClient {
    private final HubHttp http;

    public JobsClient(HubHttp http) {
        this.http = http;
    }

    public List<JobInfo> list(String namespace) {
        return jobs(quiverOnly(() -> http.getJson("/api/jobs/" + UrlPaths.segment(namespace), Subject.NONE), "jobs"));
    }

    public List<JobInfo> listFor(RepoRef repo) {
        return jobs(quiverOnly(() -> http.getJson(repo.apiPath() + "/jobs", Subject.of(repo)), "jobs"));
    }

    public JobInfo get(String namespace, String id) {
        return JobInfo.from(http.getJson(jobPath(namespace, id), Subject.NONE));
    }

    public JobInfo cancel(String namespace, String id) {
        return JobInfo.from(http.sendJson("POST", jobPath(namespace, id) + "/cancel", Map.of(), Options.WRITE, Subject.NONE));
    }

    /** Queues a training job for an adapter repository that has a recipe ({@code quiver.yaml}). */
    public JobInfo train(RepoRef adapter) {
        return JobInfo.from(quiverOnly(() -> http.sendJson("POST", "/api/quiver/train", Map.of("repo", adapter.id()),
                Options.WRITE, Subject.of(adapter)), "training"));
    }

    /** The checks recorded on the commit a revision names, or empty where the hub keeps none (not Quiver). */
    public Optional<Checks> checks(RepoRef repo, String revision) {
        try {
            return Optional.of(Checks.from(http.getJson(repo.apiPath() + "/checks/" + UrlPaths.segment(revision),
                    Subject.of(repo, revision))));
        } catch (HubException e) {
            if (e.problem() == Problem.NOT_FOUND && e.errorCode().isEmpty()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Sends each log line to {@code lines} as it arrives; with {@code follow}, until the job has ended
     * (the hub closes the stream then), otherwise only what there is now.
     */
    public void logs(String namespace, String id, boolean follow, Consumer<String> lines) {
        HttpRequest request = HttpRequest.newBuilder(http.url(jobPath(namespace, id) + "/logs?follow=" + follow))
                .timeout(Duration.ofMinutes(1)).header("Accept", "text/event-stream").GET().build();
        HttpResponse<InputStream> response = http.send(request, Options.READ);
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw http.failure(response.statusCode(), response.headers(), in.readAllBytes(), Subject.NONE)
                        .withMessage("job " + id + " not found in " + namespace + " (or not yours to see)");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("data:")) {
                    lines.accept(logText(line.substring(5).strip()));
                }
            }
        } catch (IOException e) {
            throw new HubException(Problem.UNAVAILABLE, 0, Optional.empty(), "the log stream of job " + id
                    + " broke off (" + HubHttp.describe(e) + "); run the command again to continue", e);
        }
    }

    /** The text of one server-sent log event: {@code {"data": text, "timestamp": ...}}, or the raw line. */
    static String logText(String data) {
        try {
            JsonNode node = Json.mapper().readTree(data);
            return node.path("data").isTextual() ? node.path("data").asText() : data;
        } catch (IOException e) {
            return data;
        }
    }

    private static String jobPath(String namespace, String id) {
        return "/api/jobs/" + UrlPaths.segment(namespace) + "/" + UrlPaths.segment(id);
    }

    private static List<JobInfo> jobs(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JobInfo::from).toList();
    }

    private interface Call {
        JsonNode run();
    }

    private JsonNode quiverOnly(Call call, String feature) {
        try {
            return call.run();
        } catch (HubException e) {
            if (e.problem() == Problem.NOT_FOUND && e.errorCode().isEmpty()) {
                throw new HubException(Problem.UNSUPPORTED, e.status(), Optional.empty(), "this hub ("
                        + http.endpoint() + ") does not offer Quiver " + feature + " (" + e.getMessage() + ")", e);
            }
            throw e;
        }
    }
}
