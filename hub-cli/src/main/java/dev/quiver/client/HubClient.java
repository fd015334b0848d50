package dev.quiver.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.client.HubHttp.Options;
import dev.quiver.client.HubHttp.Subject;
import dev.quiver.schema.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Hugging Face Hub API as Quiver serves it, and as huggingface.co does: repositories, revisions,
 * trees, history, refs and search. Uploads are {@link Uploader}, downloads {@link Downloader}.
 * Every method either returns what it promises or throws a {@link HubException}.
 */
public final class HubClient {
    private final HubHttp http;

    public HubClient(HubHttp http) {
        this.http = http;
    }

    public static HubClient create(ClientSettings settings) {
        return new HubClient(new HubHttp(settings.requireEndpoint(), settings.token(), Retry.DEFAULT, settings.tls()));
    }

    public HubHttp http() {
        return http;
    }

    public WhoAmI whoami() {
        if (!http.hasToken()) {
            throw new HubException(HubException.Problem.UNAUTHORIZED, "not logged in: run `quiver login` (or set QUIVER_TOKEN)");
        }
        JsonNode n = http.getJson("/api/whoami-v2", Subject.NONE);
        List<String> orgs = new ArrayList<>();
        n.path("orgs").forEach(o -> orgs.add(o.path("name").asText()));
        JsonNode token = n.path("auth").path("accessToken");
        return new WhoAmI(n.path("name").asText(""), n.path("fullname").asText(""), n.path("email").asText(""), orgs,
                token.path("displayName").asText(""), token.path("role").asText(""));
    }

    /** Creates a repository and returns its URL; with {@code existOk} an existing one is fine too. */
    public String createRepo(RepoRef repo, boolean isPrivate, boolean existOk) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", repo.name());
        body.put("organization", repo.namespace().orElse(null));
        body.put("type", repo.type().singular());
        body.put("private", isPrivate);
        body.put("visibility", isPrivate ? "private" : "public");
        try {
            return http.sendJson("POST", "/api/repos/create", body, Options.WRITE, Subject.of(repo)).path("url").asText("");
        } catch (HubException e) {
            if (existOk && e.problem() == HubException.Problem.CONFLICT) {
                return http.endpoint() + repo.webPath();
            }
            throw e.problem() == HubException.Problem.CONFLICT ? e.withMessage("repo " + repo + " already exists") : e;
        }
    }

    /** Deletes a repository; with {@code missingOk} a missing one is not an error. Returns whether one was deleted. */
    public boolean deleteRepo(RepoRef repo, boolean missingOk) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", repo.name());
        body.put("organization", repo.namespace().orElse(null));
        body.put("type", repo.type().singular());
        try {
            http.sendJson("DELETE", "/api/repos/delete", body, Options.WRITE, Subject.of(repo));
            return true;
        } catch (HubException e) {
            if (missingOk && e.problem() == HubException.Problem.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /** Changes visibility and/or gating; returns the hub's reply. */
    public JsonNode updateSettings(RepoRef repo, Optional<Boolean> isPrivate, Optional<String> gated) {
        ObjectNode body = Json.mapper().createObjectNode();
        isPrivate.ifPresent(p -> {
            body.put("private", p);
            body.put("visibility", p ? "private" : "public");
        });
        gated.ifPresent(g -> {
            if (g.equals("false")) {
                body.put("gated", false);
            } else {
                body.put("gated", g);
            }
        });
        return http.sendJson("PUT", repo.apiPath() + "/settings", body, Options.WRITE, Subject.of(repo));
    }

    /** The repository at a revision (a branch, tag, sha or {@code refs/pr/N}). */
    public RepoDetails repoInfo(RepoRef repo, String revision) {
        return RepoDetails.from(http.getJson(repo.apiPath() + "/revision/" + UrlPaths.segment(revision),
                Subject.of(repo, revision)));
    }

    /** The commit a revision points at now. */
    public String resolveCommit(RepoRef repo, String revision) {
        return repoInfo(repo, revision).sha().orElseThrow(() -> new HubException(HubException.Problem.OTHER,
                "the hub did not say which commit " + revision + " of " + repo + " is (no 'sha' in its reply)"));
    }

    public List<RepoSummary> listRepos(RepoQuery query) {
        String path = "/api/" + query.type().plural() + query.queryString();
        return http.getPaged(path, query.limit(), Subject.NONE).stream().map(RepoSummary::from).toList();
    }

    /** The entries under {@code path} (the root when empty), all of them, following pagination. */
    public List<TreeEntry> listTree(RepoRef repo, String revision, String path, boolean recursive, boolean expand) {
        String url = repo.apiPath() + "/tree/" + UrlPaths.segment(revision)
                + (path.isEmpty() ? "" : "/" + UrlPaths.path(path))
                + "?recursive=" + recursive + "&expand=" + expand;
        return http.getPaged(url, -1, new Subject(Optional.of(repo), Optional.of(revision),
                path.isEmpty() ? Optional.empty() : Optional.of(path))).stream().map(TreeEntry::from).toList();
    }

    public List<CommitEntry> listCommits(RepoRef repo, String revision, int limit) {
        String url = repo.apiPath() + "/commits/" + UrlPaths.segment(revision) + "?limit=" + Math.min(Math.max(limit, 1), 1000);
        return http.getPaged(url, limit, Subject.of(repo, revision)).stream().map(CommitEntry::from).toList();
    }

    public Refs listRefs(RepoRef repo) {
        return Refs.from(http.getJson(repo.apiPath() + "/refs?include_prs=1", Subject.of(repo)));
    }

    /** Creates a branch at {@code startingPoint} (the default branch's head when empty). */
    public void createBranch(RepoRef repo, String branch, Optional<String> startingPoint) {
        Map<String, Object> body = new LinkedHashMap<>();
        startingPoint.ifPresent(s -> body.put("startingPoint", s));
        try {
            http.sendJson("POST", repo.apiPath() + "/branch/" + UrlPaths.segment(branch), body, Options.WRITE,
                    Subject.of(repo, startingPoint.orElse("main")));
        } catch (HubException e) {
            throw e.problem() == HubException.Problem.CONFLICT
                    ? e.withMessage("branch " + branch + " already exists in " + repo) : e;
        }
    }

    public void deleteBranch(RepoRef repo, String branch) {
        http.sendJson("DELETE", repo.apiPath() + "/branch/" + UrlPaths.segment(branch), Map.of(), Options.WRITE,
                Subject.of(repo, branch));
    }

    /** Tags {@code revision} as {@code tag}, with an optional message (an annotated tag). */
    public void createTag(RepoRef repo, String tag, String revision, Optional<String> message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tag", tag);
        message.ifPresent(m -> body.put("message", m));
        try {
            http.sendJson("POST", repo.apiPath() + "/tag/" + UrlPaths.segment(revision), body, Options.WRITE,
                    Subject.of(repo, revision));
        } catch (HubException e) {
            throw e.problem() == HubException.Problem.CONFLICT ? e.withMessage("tag " + tag + " already exists in " + repo) : e;
        }
    }

    public void deleteTag(RepoRef repo, String tag) {
        http.sendJson("DELETE", repo.apiPath() + "/tag/" + UrlPaths.segment(tag), Map.of(), Options.WRITE,
                Subject.of(repo, tag));
    }
}
