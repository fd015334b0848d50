package dev.quiver.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import dev.quiver.server.auth.Permissions;
import dev.quiver.server.lfs.BlobStore;
import dev.quiver.server.lfs.LfsBatch;
import dev.quiver.server.lfs.UrlSigner;
import dev.quiver.server.repo.RepoId;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Git LFS over HTTP, as git-lfs and the HF clients use it: the batch API on
 * {@code {repo}.git/info/lfs/objects/batch}, and the signed transfer URLs it hands out (basic
 * upload, verify, HF multipart parts and completion, download).
 */
public final class LfsEndpoints {
    private static final String LFS_JSON = "application/vnd.git-lfs+json";
    private static final int MAX_OBJECTS = 1000;

    private final LfsBatch batch;
    private final BlobStore blobs;
    private final UrlSigner signer;
    private final Permissions permissions;

    public LfsEndpoints(LfsBatch batch, BlobStore blobs, UrlSigner signer, Permissions permissions) {
        this.batch = batch;
        this.blobs = blobs;
        this.signer = signer;
        this.permissions = permissions;
    }

    public void routes(Router.Builder r) {
        r.repoFiles(Method.POST, "/{ns}/{name}/info/lfs/objects/batch", this::batch);
        r.put("/api/lfs/upload/{oid}/{size}", this::upload);
        r.post("/api/lfs/verify", this::verify);
        r.put("/api/lfs/part/{upload}/{offset}/{length}", this::part);
        r.post("/api/lfs/complete/{upload}/{size}", this::complete);
        r.get("/api/lfs/objects/{oid}", this::download);
    }

    private void batch(Call call) {
        RepoId repo = call.repoId();
        JsonNode body = call.json();
        String operation = body.path("operation").asText("");
        List<LfsBatch.Request> objects = objects(body);
        LfsBatch.Reply reply = switch (operation) {
            case "upload" -> {
                permissions.writable(call.caller(), repo);
                boolean multipart = false;
                for (JsonNode t : body.path("transfers")) {
                    multipart |= t.asText().equals("multipart");
                }
                yield batch.upload(objects, multipart, call.baseUrl());
            }
            case "download" -> {
                permissions.readable(call.caller(), repo);
                yield batch.download(objects, call.baseUrl());
            }
            default -> throw QuiverException.badRequest("operation must be upload or download, not '" + operation + "'");
        };
        call.sendJson(200, LFS_JSON, wire(reply));
    }

    private static List<LfsBatch.Request> objects(JsonNode body) {
        JsonNode list = body.path("objects");
        if (!list.isArray() || list.isEmpty()) {
            throw QuiverException.badRequest("objects must be a non-empty list of {oid, size}");
        }
        if (list.size() > MAX_OBJECTS) {
            throw new QuiverException(Reason.PAYLOAD_TOO_LARGE, "at most " + MAX_OBJECTS + " objects per batch");
        }
        List<LfsBatch.Request> out = new ArrayList<>();
        for (JsonNode o : list) {
            JsonNode size = o.path("size");
            if (!o.path("oid").isTextual() || !size.canConvertToExactIntegral() || !size.canConvertToLong()) {
                throw QuiverException.badRequest("each object needs a string oid and an integer size: " + o);
            }
            out.add(new LfsBatch.Request(o.get("oid").asText(), size.asLong()));
        }
        return out;
    }

    private static Map<String, Object> wire(LfsBatch.Reply reply) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (LfsBatch.Answer a : reply.objects()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("oid", a.oid());
            o.put("size", a.size());
            if (!a.actions().isEmpty()) {
                o.put("actions", a.actions());
            }
            a.error().ifPresent(e -> o.put("error", Map.of("code", e.code(), "message", e.message())));
            objects.add(o);
        }
        return Map.of("transfer", reply.transfer(), "objects", objects, "hash_algo", "sha256");
    }

    private void upload(Call call) {
        String oid = call.var("oid");
        long size = number(call.var("size"));
        requireSigned(call, "upload|" + oid + "|" + size);
        try (InputStream in = call.bodyStream()) {
            blobs.put(oid, size, in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        call.response().send();
    }

    private void verify(Call call) {
        JsonNode body = call.json();
        String oid = body.path("oid").asText("");
        long size = body.path("size").asLong(-1);
        if (!blobs.size(oid).map(s -> s == size).orElse(false)) {
            throw new QuiverException(Reason.NOT_FOUND, "object " + oid + " of " + size + " bytes is not stored");
        }
        call.sendJson(Map.of("oid", oid, "size", size));
    }

    private void part(Call call) {
        String upload = call.var("upload");
        long offset = number(call.var("offset"));
        long length = number(call.var("length"));
        requireSigned(call, "part|" + upload + "|" + offset + "|" + length);
        String checksum;
        try (InputStream in = call.bodyStream()) {
            checksum = blobs.writePart(upload, offset, length, in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        call.header("ETag", "\"" + checksum + "\"");
        call.response().send();
    }

    private void complete(Call call) {
        String upload = call.var("upload");
        long size = number(call.var("size"));
        requireSigned(call, "complete|" + upload + "|" + size);
        String oid = upload.substring(0, upload.indexOf('-'));
        blobs.completeParts(upload, oid, size);
        call.sendJson(Map.of("oid", oid, "size", size));
    }

    private void download(Call call) throws java.io.IOException {
        String oid = call.var("oid");
        requireSigned(call, "download|" + oid);
        long size = blobs.size(oid).orElseThrow(() -> new QuiverException(Reason.NOT_FOUND, "no such object"));
        call.response().header(HeaderNames.CONTENT_TYPE, "application/octet-stream");
        call.response().headers().contentLength(size);
        if (call.isHead()) {
            call.response().send();
            return;
        }
        try (InputStream in = blobs.open(oid, 0); OutputStream out = call.response().outputStream()) {
            in.transferTo(out);
        }
    }

    private void requireSigned(Call call, String what) {
        long expires = call.query("expires").map(LfsEndpoints::number).orElse(0L);
        String sig = call.query("sig").orElse("");
        if (!signer.verify(what, expires, sig)) {
            throw new QuiverException(Reason.UNAUTHORIZED, "this transfer URL is invalid or expired; ask the LFS batch"
                    + " API for a new one");
        }
    }

    private static long number(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw QuiverException.badRequest("'" + s + "' is not a number");
        }
    }
}
