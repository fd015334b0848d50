package dev.quiver.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.client.HubException.Problem;
import dev.quiver.client.HubHttp.Options;
import dev.quiver.client.HubHttp.Subject;
import dev.quiver.schema.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Git LFS uploads through the batch API, as the HF clients do them: ask which objects the hub still
 * needs ({@code operation: upload}, transfers {@code basic} and {@code multipart}), PUT each one to
 * its pre-signed href — whole, or in parts side by side when the hub offers multipart — then verify.
 * Objects the hub already has come back without actions and are not sent again.
 */
final class LfsUploader {
    private static final int BATCH = 100;
    private static final String LFS_JSON = "application/vnd.git-lfs+json";

    private final HubHttp http;
    private final Retry retry;
    private final TransferListener listener;
    private final Transfers objects;
    private final Transfers parts;

    LfsUploader(HubHttp http, TransferListener listener, int parallelism) {
        this.http = http;
        this.retry = Retry.DEFAULT;
        this.listener = listener;
        this.objects = new Transfers(parallelism);
        this.parts = new Transfers(parallelism);
    }

    /** An object to store: its sha256 and size, and a file that holds it. */
    record LfsObject(String oid, long size, java.nio.file.Path source, String displayPath) {
    }

    /** What an upload sent: objects and bytes (objects the hub already had are not counted). */
    record Sent(int objects, long bytes) {
    }

    private record Pending(LfsObject object, JsonNode upload, JsonNode verify) {
    }

    /** Uploads whatever the hub lacks of {@code all}. */
    Sent upload(RepoRef repo, String revision, boolean createPr, List<LfsObject> all) {
        Map<String, LfsObject> unique = new LinkedHashMap<>();
        all.forEach(o -> unique.putIfAbsent(o.oid(), o));
        List<LfsObject> list = new ArrayList<>(unique.values());
        List<Pending> pending = new ArrayList<>();
        for (int i = 0; i < list.size(); i += BATCH) {
            List<LfsObject> chunk = list.subList(i, Math.min(list.size(), i + BATCH));
            Map<String, LfsObject> byOid = new LinkedHashMap<>();
            chunk.forEach(o -> byOid.put(o.oid(), o));
            for (JsonNode obj : batch(repo, revision, createPr, chunk).path("objects")) {
                LfsObject o = byOid.get(obj.path("oid").asText());
                if (o == null) {
                    throw new HubException(Problem.OTHER, "the LFS batch reply names an object that was not asked for");
                }
                if (obj.has("error")) {
                    throw new HubException(Problem.OTHER, "the hub refused to store " + o.displayPath() + ": "
                            + obj.path("error").path("message").asText(obj.path("error").toString()));
                }
                JsonNode upload = obj.path("actions").path("upload");
                if (upload.isObject()) {
                    pending.add(new Pending(o, upload, obj.path("actions").path("verify")));
                }
            }
        }
        long bytes = pending.stream().mapToLong(p -> p.object().size()).sum();
        listener.planned(pending.size(), bytes);
        objects.run(pending, p -> {
            send(p.object(), p.upload());
            if (p.verify().isObject()) {
                verify(p.object(), p.verify());
            }
        });
        return new Sent(pending.size(), bytes);
    }

    private JsonNode batch(RepoRef repo, String revision, boolean createPr, List<LfsObject> chunk) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("operation", "upload");
        body.put("transfers", List.of("basic", "multipart"));
        body.put("hash_algo", "sha256");
        if (!createPr) {
            body.put("ref", Map.of("name", revision));
        }
        body.put("objects", chunk.stream().map(o -> Map.of("oid", o.oid(), "size", o.size())).toList());
        try {
            HttpRequest request = HttpRequest.newBuilder(http.url(repo.webPath() + ".git/info/lfs/objects/batch"))
                    .timeout(Duration.ofMinutes(5)).header("Accept", LFS_JSON).header("Content-Type", LFS_JSON)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Json.mapper().writeValueAsBytes(body))).build();
            return http.json(request, Options.READ, Subject.of(repo, revision));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void send(LfsObject o, JsonNode upload) {
        listener.started(o.displayPath(), o.size());
        JsonNode header = upload.path("header");
        if (header.has("chunk_size")) {
            multipart(o, upload.path("href").asText(), header);
        } else {
            put(URI.create(upload.path("href").asText()), o, 0, o.size());
        }
        listener.finished(o.displayPath());
    }

    private void multipart(LfsObject o, String completionHref, JsonNode header) {
        long chunkSize = header.path("chunk_size").asLong();
        if (chunkSize <= 0) {
            throw new HubException(Problem.OTHER, "the hub offered multipart with an invalid chunk_size");
        }
        long count = (o.size() + chunkSize - 1) / chunkSize;
        List<Integer> numbers = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            if (!header.path(Integer.toString(i)).isTextual()) {
                throw new HubException(Problem.OTHER, "the hub offered " + (header.size() - 1) + " part URLs for "
                        + o.displayPath() + " but " + count + " parts of " + chunkSize + " bytes are needed");
            }
            numbers.add(i);
        }
        Map<Integer, String> etags = new ConcurrentHashMap<>();
        parts.run(numbers, n -> {
            long offset = (n - 1) * chunkSize;
            String etag = put(URI.create(header.path(Integer.toString(n)).asText()), o, offset,
                    Math.min(chunkSize, o.size() - offset)).orElseThrow(() -> new HubException(Problem.OTHER,
                            "the hub stored part " + n + " of " + o.displayPath() + " without an ETag"));
            etags.put(n, etag);
        });
        List<Map<String, Object>> partList = numbers.stream()
                .map(n -> Map.<String, Object>of("partNumber", n, "etag", etags.get(n))).toList();
        postLfsJson(completionHref, Map.of("oid", o.oid(), "parts", partList), o, Options.SIGNED);
    }

    /**
     * PUTs a slice of the file to a pre-signed href (never with the token), through {@link Http11};
     * a broken connection or a transient status is retried with backoff. Returns the reply's ETag.
     */
    private Optional<String> put(URI href, LfsObject o, long offset, long length) {
        for (int attempt = 1; ; attempt++) {
            AtomicLong sent = new AtomicLong();
            LongConsumer progress = n -> {
                sent.addAndGet(n);
                listener.progressed(o.displayPath(), n);
            };
            try (Http11.Response r = Http11.put(href, http.signedUploadHeaders(), o.source(), offset, length, progress, http.tls())) {
                if (Retry.isTransient(r.status()) && attempt < retry.attempts()) {
                    listener.progressed(o.displayPath(), -sent.get());
                    Retry.sleep(retry.delay(attempt, Optional.empty()));
                    continue;
                }
                if (r.status() / 100 != 2) {
                    HubException e = http.failure(r.status(), r.headers(), r.smallBody(), Subject.NONE);
                    throw e.withMessage("storing " + o.displayPath() + " failed: " + e.getMessage());
                }
                r.smallBody();
                return r.header("ETag");
            } catch (IOException e) {
                listener.progressed(o.displayPath(), -sent.get());
                if (attempt >= retry.attempts()) {
                    throw new HubException(Problem.UNAVAILABLE, 0, Optional.empty(), "storing " + o.displayPath()
                            + " failed: " + HubHttp.describe(e) + "; run the upload again", e);
                }
                Retry.sleep(retry.delay(attempt, Optional.empty()));
            }
        }
    }

    private void verify(LfsObject o, JsonNode verify) {
        postLfsJson(verify.path("href").asText(), Map.of("oid", o.oid(), "size", o.size()), o, Options.READ);
    }

    private void postLfsJson(String href, Object body, LfsObject o, Options options) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(href)).timeout(Duration.ofMinutes(10))
                    .header("Accept", LFS_JSON).header("Content-Type", LFS_JSON)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Json.mapper().writeValueAsBytes(body))).build();
            expectSuccess(http.send(request, options), o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void expectSuccess(HttpResponse<InputStream> response, LfsObject o) {
        try (InputStream in = response.body()) {
            byte[] body = in.readAllBytes();
            if (response.statusCode() / 100 != 2) {
                HubException e = http.failure(response.statusCode(), response.headers(), body, Subject.NONE);
                throw e.withMessage("storing " + o.displayPath() + " failed: " + e.getMessage());
            }
        } catch (IOException e) {
            throw new HubException(Problem.UNAVAILABLE, 0, Optional.empty(), "storing " + o.displayPath() + " failed: "
                    + HubHttp.describe(e), e);
        }
    }
}
