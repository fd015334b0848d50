package dev.quiver.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import dev.quiver.server.card.CommitLog;
import dev.quiver.server.auth.Permissions;
import dev.quiver.server.repo.RepoInfo;
import dev.quiver.server.repo.RepoStore;
import dev.quiver.server.repo.RepoWriter;
import dev.quiver.server.repo.Revisions;
import io.helidon.http.Method;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * Refs and history: {@code GET .../refs}, {@code GET .../commits/{rev}} (paged, with
 * {@code X-Total-Count}), {@code POST|DELETE .../branch/{name}}, {@code POST .../tag/{rev}} and
 * {@code DELETE .../tag/{tag}}.
 */
public final class RefEndpoints {
    private static final int COMMITS_PAGE = 50;
    private static final int MAX_COMMITS_PAGE = 1000;

    private final RepoAccess access;
    private final RefChanges changes;

    public RefEndpoints(RepoStore repos, Permissions permissions, RepoWriter writer) {
        this.access = new RepoAccess(repos, permissions);
        this.changes = new RefChanges(repos, writer);
    }

    public void routes(Router.Builder r) {
        RepoRoutes.api(r, Method.GET, "/{ns}/{name}/refs", this::refs);
        RepoRoutes.api(r, Method.GET, "/{ns}/{name}/commits/{rev*}", this::commits);
        RepoRoutes.api(r, Method.POST, "/{ns}/{name}/branch/{branch*}", this::createBranch);
        RepoRoutes.api(r, Method.DELETE, "/{ns}/{name}/branch/{branch*}", this::deleteBranch);
        RepoRoutes.api(r, Method.POST, "/{ns}/{name}/tag/{rev*}", this::createTag);
        RepoRoutes.api(r, Method.DELETE, "/{ns}/{name}/tag/{tag*}", this::deleteTag);
    }

    private void refs(Call call) {
        Optional<RepoInfo> repo = access.readable(call);
        if (repo.isEmpty()) {
            return;
        }
        Repository git = access.git(repo.get());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("branches", refList(git, Constants.R_HEADS));
        body.put("converts", List.of());
        body.put("tags", refList(git, Constants.R_TAGS));
        if (call.flag("include_prs")) {
            body.put("pullRequests", refList(git, "refs/pr/"));
        }
        call.sendJson(body);
    }

    private static List<Map<String, Object>> refList(Repository git, String prefix) {
        try {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Ref ref : git.getRefDatabase().getRefsByPrefix(prefix)) {
                Revisions.find(git, ref.getName()).ifPresent(rev -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", ref.getName().substring(prefix.length()));
                    m.put("ref", ref.getName());
                    m.put("targetCommit", rev.sha());
                    out.add(m);
                });
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void commits(Call call) {
        Optional<RepoInfo> repo = access.readable(call);
        if (repo.isEmpty()) {
            return;
        }
        Repository git = access.git(repo.get());
        RepoAccess.RevisionAndPath at = RepoAccess.split(git, call.rest(), false);
        if (!at.path().isEmpty()) {
            throw new QuiverException(Reason.REVISION_NOT_FOUND, "Invalid rev id: " + String.join("/", call.rest()));
        }
        int limit = Pages.limit(call, call.query("limit").isPresent() ? MAX_COMMITS_PAGE : COMMITS_PAGE);
        long page = pageNumber(call);
        CommitLog log = new CommitLog(git, at.revision().commit());
        long total = log.count();
        List<RevCommit> commits = log.page(page * limit, limit);
        call.header("X-Total-Count", Long.toString(total));
        if ((page + 1) * limit < total) {
            Pages.linkNext(call, "p", Long.toString(page + 1));
        }
        boolean formatted = call.queryAll("expand").contains("formatted");
        String avatarBase = call.baseUrl() + "/avatars/";
        call.sendJson(commits.stream().map(c -> commitJson(c, formatted, avatarBase)).toList());
    }

    private static long pageNumber(Call call) {
        String raw = call.query("p").orElse("0");
        try {
            long p = Long.parseLong(raw.strip());
            if (p < 0 || p > Integer.MAX_VALUE) {
                throw QuiverException.badRequest("p must be a page number from 0, not " + raw);
            }
            return p;
        } catch (NumberFormatException e) {
            throw QuiverException.badRequest("p must be a page number from 0, not '" + raw + "'");
        }
    }

    private static Map<String, Object> commitJson(RevCommit c, boolean formatted, String avatarBase) {
        String title = c.getShortMessage();
        String full = c.getFullMessage();
        int nl = full.indexOf('\n');
        String message = nl < 0 ? "" : full.substring(nl + 1).strip();
        String user = c.getAuthorIdent().getName();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.name());
        m.put("title", title);
        m.put("message", message);
        m.put("date", Dates.iso(c.getCommitterIdent().getWhenAsInstant()));
        m.put("authors", List.of(Map.of("user", user, "avatar", avatarBase
                + URLEncoder.encode(user, StandardCharsets.UTF_8))));
        if (formatted) {
            m.put("formatted", Map.of("title", html(title), "message", html(message)));
        }
        return m;
    }

    private static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    private void createBranch(Call call) {
        Optional<RepoInfo> repo = access.writable(call);
        if (repo.isEmpty()) {
            return;
        }
        JsonNode body = call.json();
        changes.createBranch(repo.get().id(), String.join("/", call.rest()),
                Optional.ofNullable(body.get("startingPoint")).filter(JsonNode::isTextual).map(JsonNode::asText),
                flag(body, "emptyBranch"), flag(body, "overwrite"), RepoEndpoints.ident(call.caller()));
        call.sendJson(Map.of());
    }

    private void deleteBranch(Call call) {
        Optional<RepoInfo> repo = access.writable(call);
        if (repo.isEmpty()) {
            return;
        }
        changes.deleteBranch(repo.get().id(), String.join("/", call.rest()));
        call.sendJson(Map.of());
    }

    private void createTag(Call call) {
        Optional<RepoInfo> repo = access.writable(call);
        if (repo.isEmpty()) {
            return;
        }
        RepoAccess.RevisionAndPath at = RepoAccess.split(access.git(repo.get()), call.rest(), false);
        if (!at.path().isEmpty()) {
            throw new QuiverException(Reason.REVISION_NOT_FOUND, "Invalid rev id: " + String.join("/", call.rest()));
        }
        JsonNode body = call.json();
        String tag = body.path("tag").asText("");
        changes.createTag(repo.get().id(), at.revision(), tag, body.path("message").asText(""),
                RepoEndpoints.ident(call.caller()));
        call.sendJson(Map.of());
    }

    private void deleteTag(Call call) {
        Optional<RepoInfo> repo = access.writable(call);
        if (repo.isEmpty()) {
            return;
        }
        changes.deleteTag(repo.get().id(), String.join("/", call.rest()));
        call.sendJson(Map.of());
    }

    private static boolean flag(JsonNode body, String key) {
        JsonNode v = body.path(key);
        return v.isBoolean() ? v.asBoolean() : Call.isTrue(v.asText("false"));
    }
}
