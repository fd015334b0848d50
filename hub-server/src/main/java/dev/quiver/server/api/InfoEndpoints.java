package dev.quiver.server.api;

import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import dev.quiver.server.card.RepoEntry;
import dev.quiver.server.card.RevisionFacts;
import dev.quiver.server.card.RevisionTree;
import dev.quiver.server.lfs.BlobStore;
import dev.quiver.server.auth.Permissions;
import dev.quiver.server.repo.RepoId;
import dev.quiver.server.repo.RepoInfo;
import dev.quiver.server.repo.RepoStore;
import dev.quiver.server.repo.Revision;
import io.helidon.http.Method;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.Repository;

/**
 * Repository info: {@code GET /api/{models|datasets}/{ns}/{name}[/revision/{rev}]}, the Hub's
 * shape ({@code id}, {@code sha}, {@code siblings}, {@code cardData}, derived {@code tags},
 * {@code safetensors}, ...) plus {@code quiver.adapter} for PEFT adapters. With {@code expand}
 * (either spelling) only {@code _id}, {@code id} and the expanded keys are returned.
 */
public final class InfoEndpoints {
    /** Recently described revisions: a commit's content never changes, so entries never go stale. */
    private static final int CACHED_REVISIONS = 64;

    private record CacheKey(RepoId repo, String sha) {
    }

    /** What a revision's info is built from. */
    private record Revisited(RevisionFacts facts, List<RepoEntry> files) {
    }

    private final RepoAccess access;
    private final BlobStore blobs;
    private final Map<CacheKey, Revisited> cache = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<CacheKey, Revisited> eldest) {
                    return size() > CACHED_REVISIONS;
                }
            });

    public InfoEndpoints(RepoStore repos, Permissions permissions, BlobStore blobs) {
        this.access = new RepoAccess(repos, permissions);
        this.blobs = blobs;
    }

    public void routes(Router.Builder r) {
        RepoRoutes.api(r, Method.GET, "/{ns}/{name}", this::info);
        RepoRoutes.api(r, Method.GET, "/{ns}/{name}/revision/{rev*}", this::info);
    }

    private void info(Call call) {
        Optional<RepoInfo> repo = access.readable(call);
        if (repo.isEmpty()) {
            return;
        }
        Repository git = access.git(repo.get());
        List<String> rest = call.rest().isEmpty() ? List.of("HEAD") : call.rest();
        RepoAccess.RevisionAndPath at = RepoAccess.split(git, rest, false);
        if (!at.path().isEmpty()) {
            throw new QuiverException(Reason.REVISION_NOT_FOUND,
                    "Invalid rev id: " + String.join("/", rest));
        }
        Map<String, Object> full = describe(call, repo.get(), git, at.revision());
        List<String> expand = call.queryAll("expand");
        if (expand.isEmpty()) {
            call.sendJson(full);
            return;
        }
        Map<String, Object> only = new LinkedHashMap<>();
        only.put("_id", full.get("_id"));
        only.put("id", full.get("id"));
        expand.stream().filter(full::containsKey).forEach(k -> only.put(k, full.get(k)));
        call.sendJson(only);
    }

    private Map<String, Object> describe(Call call, RepoInfo repo, Repository git, Revision rev) {
        CacheKey key = new CacheKey(repo.id(), rev.sha());
        Revisited revisited = cache.get(key);
        if (revisited == null) {
            // read outside the map's lock: two racing readers compute the same thing, harmlessly
            revisited = new Revisited(RevisionFacts.read(git, repo.id(), rev, blobs),
                    new RevisionTree(git, rev.commit()).files());
            cache.put(key, revisited);
        }
        RevisionFacts facts = revisited.facts();
        List<RepoEntry> files = revisited.files();
        boolean withBlobs = call.flag("blobs");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("_id", SearchJson.mongoStyleId(repo.id(), repo.createdAt()));
        m.put("id", repo.id().id());
        if (repo.id().type() == RepoType.MODEL) {
            m.put("modelId", repo.id().id());
        }
        m.put("author", repo.id().owner());
        m.put("sha", facts.sha());
        m.put("lastModified", Dates.iso(facts.lastModified()));
        m.put("createdAt", Dates.iso(repo.createdAt()));
        m.put("private", repo.isPrivate());
        m.put("gated", repo.gated().equals("false") ? Boolean.FALSE : repo.gated());
        m.put("disabled", false);
        m.put("downloads", repo.downloads());
        m.put("likes", repo.likes());
        facts.libraryName().ifPresent(l -> m.put("library_name", l));
        facts.pipelineTag().ifPresent(p -> m.put("pipeline_tag", p));
        m.put("tags", facts.tags());
        if (!facts.card().metadata().isEmpty()) {
            m.put("cardData", facts.card().metadata());
        }
        m.put("siblings", files.stream().map(f -> EntryJson.sibling(f, withBlobs)).toList());
        m.put("spaces", List.of());
        m.put("usedStorage", files.stream().mapToLong(RepoEntry::size).sum());
        facts.safetensors().ifPresent(s -> m.put("safetensors", Map.of("parameters", s.parameters(), "total", s.total())));
        facts.adapter().ifPresent(a -> m.put("quiver", Map.of("adapter", SearchJson.adapter(a))));
        return m;
    }
}
