package dev.quiver.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.schema.json.Json;
import dev.quiver.schema.lfs.LfsPointer;
import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import dev.quiver.server.lfs.BlobStore;
import dev.quiver.server.repo.FileChange;
import dev.quiver.server.repo.RepoPath;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The HF commit API's NDJSON body: a {@code header} line, then {@code file}, {@code lfsFile},
 * {@code deletedFile} and {@code deletedFolder} lines. Parsing collects every problem, each naming
 * its line, and fails once with all of them.
 */
public record CommitPayload(String summary, String description, Optional<String> parentCommit,
        List<FileChange> changes) {

    public static CommitPayload parse(byte[] body, BlobStore blobs) {
        List<String> problems = new ArrayList<>();
        String summary = "";
        String description = "";
        Optional<String> parent = Optional.empty();
        boolean sawHeader = false;
        List<FileChange> changes = new ArrayList<>();
        String[] lines = new String(body, StandardCharsets.UTF_8).split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            int n = i + 1;
            if (line.isEmpty()) {
                continue;
            }
            JsonNode node;
            try {
                node = Json.mapper().readTree(line);
            } catch (JsonProcessingException e) {
                problems.add("line " + n + ": not valid JSON (" + e.getOriginalMessage() + ")");
                continue;
            }
            String key = node.path("key").asText("");
            JsonNode value = node.path("value");
            if (!value.isObject()) {
                problems.add("line " + n + ": needs a \"value\" object");
                continue;
            }
            try {
                switch (key) {
                    case "header" -> {
                        sawHeader = true;
                        summary = value.path("summary").asText("");
                        description = value.path("description").asText("");
                        parent = Optional.of(value.path("parentCommit").asText("")).filter(s -> !s.isEmpty());
                    }
                    case "file" -> changes.add(new FileChange.Put(path(value), content(value)));
                    case "lfsFile" -> changes.add(new FileChange.PutLfs(path(value), pointer(value, blobs)));
                    case "deletedFile" -> changes.add(new FileChange.Delete(path(value)));
                    case "deletedFolder" -> changes.add(new FileChange.DeleteFolder(folder(value)));
                    default -> problems.add("line " + n + ": unknown key '" + key
                            + "' (expected header, file, lfsFile, deletedFile or deletedFolder)");
                }
            } catch (QuiverException e) {
                problems.add("line " + n + ": " + e.getMessage());
            }
        }
        if (!sawHeader) {
            problems.add("the first line must be {\"key\":\"header\",\"value\":{\"summary\":...}}");
        }
        if (!problems.isEmpty()) {
            throw new QuiverException(Reason.BAD_REQUEST, "invalid commit: " + String.join("; ", problems), problems);
        }
        return new CommitPayload(summary, description, parent, changes);
    }

    private static RepoPath path(JsonNode value) {
        JsonNode p = value.path("path");
        if (!p.isTextual()) {
            throw QuiverException.badRequest("needs a string \"path\"");
        }
        return new RepoPath(p.asText());
    }

    private static RepoPath folder(JsonNode value) {
        JsonNode p = value.path("path");
        String s = p.isTextual() ? p.asText() : "";
        return new RepoPath(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }

    private static byte[] content(JsonNode value) {
        String encoding = value.path("encoding").asText("base64");
        String content = value.path("content").asText("");
        return switch (encoding) {
            case "base64" -> {
                try {
                    yield Base64.getDecoder().decode(content);
                } catch (IllegalArgumentException e) {
                    throw QuiverException.badRequest("content is not valid base64");
                }
            }
            case "utf-8", "utf8" -> content.getBytes(StandardCharsets.UTF_8);
            default -> throw QuiverException.badRequest("unknown encoding '" + encoding + "' (use base64 or utf-8)");
        };
    }

    private static LfsPointer pointer(JsonNode value, BlobStore blobs) {
        String algo = value.path("algo").asText("sha256");
        if (!algo.equals("sha256")) {
            throw QuiverException.badRequest("LFS algo must be sha256, not '" + algo + "'");
        }
        String oid = value.path("oid").asText("");
        if (!BlobStore.isOid(oid)) {
            throw QuiverException.badRequest("invalid LFS oid '" + oid + "': expected 64 lower-case hex digits");
        }
        JsonNode size = value.path("size");
        if (size.isMissingNode() || size.isNull()) {
            // PY copies send no size; the stored object knows it
            long stored = blobs.size(oid).orElseThrow(() -> QuiverException.badRequest("LFS object " + oid
                    + " was never uploaded; upload it through the LFS batch API first"));
            return new LfsPointer(oid, stored);
        }
        if (!size.canConvertToExactIntegral() || size.asLong() < 0) {
            throw QuiverException.badRequest("LFS size must be a non-negative integer");
        }
        return new LfsPointer(oid, size.asLong());
    }
}
