package dev.quiver.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.server.QuiverException;
import dev.quiver.server.lfs.BlobStore;
import dev.quiver.server.repo.CommitRequest;
import dev.quiver.server.repo.CommitResult;
import dev.quiver.server.repo.RepoId;
import dev.quiver.server.repo.UploadPlanner;
import dev.quiver.server.auth.Permissions;
import dev.quiver.server.repo.RepoWriter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Uploads: {@code preupload} (which files go to LFS) and the NDJSON {@code commit} API. */
public final class CommitEndpoints {
    /** Largest commit body: regular files travel inline as base64; anything big belongs in LFS. */
    static final int MAX_COMMIT_BYTES = 256 << 20;

    private final RepoWriter writer;
    private final UploadPlanner planner;
    private final BlobStore blobs;
    private final Permissions permissions;

    public CommitEndpoints(RepoWriter writer, UploadPlanner planner, BlobStore blobs, Permissions permissions) {
        this.writer = writer;
        this.planner = planner;
        this.blobs = blobs;
        this.permissions = permissions;
    }

    public void routes(Router.Builder r) {
        r.post("/api/{type}/{ns}/{name}/preupload/{rev*}", this::preupload);
        r.post("/api/{type}/{ns}/{name}/commit/{rev*}", this::commit);
    }

    private void preupload(Call call) {
        RepoId repo = call.repoId();
        permissions.writable(call.caller(), repo);
        JsonNode files = call.json().path("files");
        if (!files.isArray()) {
            throw QuiverException.badRequest("body needs \"files\": [{path, size, sample}]");
        }
        List<UploadPlanner.File> asked = new ArrayList<>();
        for (JsonNode f : files) {
            byte[] sample;
            try {
                sample = Base64.getDecoder().decode(f.path("sample").asText(""));
            } catch (IllegalArgumentException e) {
                throw QuiverException.badRequest("sample of " + f.path("path").asText() + " is not valid base64");
            }
            asked.add(new UploadPlanner.File(f.path("path").asText(""), f.path("size").asLong(0), sample));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (UploadPlanner.Plan plan : planner.plan(repo, revision(call), asked)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", plan.path());
            m.put("uploadMode", plan.lfs() ? "lfs" : "regular");
            m.put("shouldIgnore", false);
            plan.remoteOid().ifPresent(oid -> m.put("oid", oid));
            out.add(m);
        }
        call.sendJson(Map.of("files", out));
    }

    private void commit(Call call) {
        RepoId repo = call.repoId();
        permissions.writable(call.caller(), repo);
        CommitPayload payload = CommitPayload.parse(call.body(MAX_COMMIT_BYTES), blobs);
        boolean createPr = call.flag("create_pr");
        CommitResult result = writer.commit(new CommitRequest(repo, revision(call), payload.parentCommit(),
                payload.summary(), payload.description(), RepoEndpoints.ident(call.caller()), payload.changes(),
                createPr));
        String repoUrl = call.baseUrl() + "/" + repo.webPath();
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("commitOid", result.commitId());
        reply.put("commitUrl", repoUrl + "/commit/" + result.commitId());
        result.pullRequest().ifPresent(n -> reply.put("pullRequestUrl", repoUrl + "/discussions/" + n));
        call.sendJson(reply);
    }

    private static String revision(Call call) {
        String rev = String.join("/", call.rest());
        if (rev.isEmpty()) {
            throw QuiverException.badRequest("the URL needs a revision, e.g. .../commit/main");
        }
        return rev;
    }
}
