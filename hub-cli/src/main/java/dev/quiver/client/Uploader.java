package dev.quiver.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.client.HubException.Problem;
import dev.quiver.client.HubHttp.Options;
import dev.quiver.client.HubHttp.Subject;
import dev.quiver.schema.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Uploads files as one commit, the way huggingface_hub's {@code create_commit} does: hash every file,
 * ask the hub (preupload) which go to LFS and which it already has, store the LFS ones through the
 * batch API ({@link LfsUploader}), then send one commit with the small files inline. Files whose
 * content is already at that path are left out; if nothing is left, no commit is made.
 */
public final class Uploader {
    private static final int PREUPLOAD_CHUNK = 256;
    private static final int SAMPLE = 512;

    private final HubClient client;
    private final Transfers hashing;
    private final LfsUploader lfs;

    public Uploader(HubClient client, TransferListener listener, int parallelism) {
        this.client = client;
        this.hashing = new Transfers(Math.max(1, Math.min(parallelism, Runtime.getRuntime().availableProcessors())));
        this.lfs = new LfsUploader(client.http(), listener, parallelism);
    }

    private record Prepared(LocalFile file, long size, byte[] sample, String sha256) {
    }

    public CommitResult upload(RepoRef repo, List<LocalFile> files, CommitOptions options) {
        checkDistinct(files);
        List<Prepared> prepared = prepare(files);
        Map<String, JsonNode> answers = preupload(repo, options, prepared);
        List<Prepared> regular = new ArrayList<>();
        List<Prepared> large = new ArrayList<>();
        int unchanged = 0;
        for (Prepared p : prepared) {
            JsonNode a = answers.get(p.file().pathInRepo());
            if (a == null) {
                throw new HubException(Problem.OTHER, "the hub's preupload reply does not mention " + p.file().pathInRepo());
            }
            boolean isLfs = a.path("uploadMode").asText().equals("lfs");
            Optional<String> remote = a.path("oid").isTextual() ? Optional.of(a.path("oid").asText()) : Optional.empty();
            if (a.path("shouldIgnore").asBoolean(false)) {
                unchanged++;
            } else if (remote.isPresent() && remote.get().equals(isLfs ? p.sha256() : Hashing.gitBlobSha1(p.file().source()))) {
                unchanged++;
            } else {
                (isLfs ? large : regular).add(p);
            }
        }
        if (regular.isEmpty() && large.isEmpty() && options.deletions().isEmpty()) {
            String head = client.resolveCommit(repo, options.revision());
            return new CommitResult(head, client.http().endpoint() + repo.webPath() + "/commit/" + head, Optional.empty(),
                    false, 0, unchanged, 0, 0);
        }
        LfsUploader.Sent sent = lfs.upload(repo, options.revision(), options.createPr(), large.stream()
                .map(p -> new LfsUploader.LfsObject(p.sha256(), p.size(), p.file().source(), p.file().pathInRepo())).toList());
        JsonNode reply = commit(repo, options, regular, large);
        String oid = reply.path("commitOid").asText("");
        if (oid.isEmpty()) {
            throw new HubException(Problem.OTHER, "the hub's commit reply has no commitOid");
        }
        Optional<String> pr = reply.path("pullRequestUrl").isTextual()
                ? Optional.of(reply.path("pullRequestUrl").asText()) : Optional.empty();
        return new CommitResult(oid, reply.path("commitUrl").asText(""), pr, true, regular.size() + large.size(),
                unchanged, sent.objects(), sent.bytes());
    }

    private static void checkDistinct(List<LocalFile> files) {
        Map<String, Path> seen = new HashMap<>();
        for (LocalFile f : files) {
            Path before = seen.putIfAbsent(f.pathInRepo(), f.source());
            if (before != null) {
                throw new HubException(Problem.BAD_INPUT, "both " + before + " and " + f.source() + " would be "
                        + f.pathInRepo() + " in the repo");
            }
        }
    }

    /** Size, the 512-byte sample preupload wants, and the sha256 of every file, several at a time. */
    private List<Prepared> prepare(List<LocalFile> files) {
        Map<LocalFile, Prepared> out = new ConcurrentHashMap<>();
        hashing.run(files, f -> {
            try {
                long size = Files.size(f.source());
                byte[] sample;
                try (InputStream in = Files.newInputStream(f.source())) {
                    sample = in.readNBytes(SAMPLE);
                }
                out.put(f, new Prepared(f, size, sample, Hashing.sha256(f.source())));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + f.source(), e);
            }
        });
        return files.stream().map(out::get).toList();
    }

    private Map<String, JsonNode> preupload(RepoRef repo, CommitOptions options, List<Prepared> files) {
        Map<String, JsonNode> answers = new HashMap<>();
        String url = repo.apiPath() + "/preupload/" + UrlPaths.segment(options.revision())
                + (options.createPr() ? "?create_pr=1" : "");
        for (int i = 0; i < files.size(); i += PREUPLOAD_CHUNK) {
            List<Map<String, Object>> chunk = files.subList(i, Math.min(files.size(), i + PREUPLOAD_CHUNK)).stream()
                    .map(p -> Map.<String, Object>of("path", p.file().pathInRepo(), "size", p.size(),
                            "sample", Base64.getEncoder().encodeToString(p.sample())))
                    .toList();
            JsonNode reply = client.http().sendJson("POST", url, Map.of("files", chunk), Options.READ,
                    Subject.of(repo, options.revision()));
            reply.path("files").forEach(f -> answers.put(f.path("path").asText(), f));
        }
        return answers;
    }

    private JsonNode commit(RepoRef repo, CommitOptions options, List<Prepared> regular, List<Prepared> large) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ObjectNode header = Json.mapper().createObjectNode();
        header.put("summary", options.summary());
        header.put("description", options.description());
        options.parentCommit().ifPresent(p -> header.put("parentCommit", p));
        line(body, "header", header);
        for (Prepared p : regular) {
            ObjectNode v = Json.mapper().createObjectNode();
            v.put("path", p.file().pathInRepo());
            try {
                v.put("content", Base64.getEncoder().encodeToString(Files.readAllBytes(p.file().source())));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + p.file().source(), e);
            }
            v.put("encoding", "base64");
            line(body, "file", v);
        }
        for (Prepared p : large) {
            ObjectNode v = Json.mapper().createObjectNode();
            v.put("path", p.file().pathInRepo());
            v.put("algo", "sha256");
            v.put("oid", p.sha256());
            v.put("size", p.size());
            line(body, "lfsFile", v);
        }
        for (String deleted : options.deletions()) {
            ObjectNode v = Json.mapper().createObjectNode();
            v.put("path", deleted);
            line(body, "deletedFile", v);
        }
        HttpRequest request = HttpRequest.newBuilder(client.http().url(repo.apiPath() + "/commit/"
                        + UrlPaths.segment(options.revision()) + (options.createPr() ? "?create_pr=1" : "")))
                .timeout(Duration.ofMinutes(10)).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        return client.http().json(request, Options.WRITE, Subject.of(repo, options.revision()));
    }

    private static void line(ByteArrayOutputStream out, String key, ObjectNode value) {
        ObjectNode line = Json.mapper().createObjectNode();
        line.put("key", key);
        line.set("value", value);
        try {
            out.write(Json.mapper().writeValueAsBytes(line));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
