package dev.quiver.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import dev.quiver.server.card.RevisionTree;
import dev.quiver.server.auth.Permissions;
import dev.quiver.server.repo.RepoInfo;
import dev.quiver.server.repo.RepoStore;
import dev.quiver.server.repo.RepoPath;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Listings of a revision's files: {@code GET /api/{t}/{id}/tree/{rev}[/{path}]} (paged by a cursor,
 * 1000 entries a page, 50 with {@code expand}, directories included in recursive listings) and
 * {@code POST /api/{t}/{id}/paths-info/{rev}} (a form body from the Python client, JSON from JS).
 */
public final class TreeEndpoints {
    private static final int PAGE = 1000;
    private static final int EXPANDED_PAGE = 50;
    private static final int MAX_PATHS = 1000;

    private final RepoAccess access;

    public TreeEndpoints(RepoStore repos, Permissions permissions) {
        this.access = new RepoAccess(repos, permissions);
    }

    public void routes(Router.Builder r) {
        RepoRoutes.api(r, Method.GET, "/{ns}/{name}/tree/{rev*}", this::tree);
        RepoRoutes.api(r, Method.POST, "/{ns}/{name}/paths-info/{rev*}", this::pathsInfo);
    }

    private void tree(Call call) {
        Optional<RepoInfo> repo = access.readable(call);
        if (repo.isEmpty()) {
            return;
        }
        var git = access.git(repo.get());
        RepoAccess.RevisionAndPath at = RepoAccess.split(git, call.rest(), false);
        call.header("X-Repo-Commit", at.revision().sha());
        boolean expand = call.flag("expand");
        int limit = Pages.limit(call, expand ? EXPANDED_PAGE : PAGE);
        RevisionTree tree = new RevisionTree(git, at.revision().commit());
        Optional<String> after = call.query("cursor").map(Pages::decodeCursor);
        RevisionTree.Page page = tree.list(at.path(), call.flag("recursive"), after, limit).orElseThrow(() ->
                new QuiverException(Reason.ENTRY_NOT_FOUND, "Entry not found: no directory " + at.path() + " at "
                        + at.revision().asked()));
        if (page.more()) {
            Pages.linkNext(call, "cursor", Pages.encodeCursor(page.entries().getLast().path()));
        }
        call.sendJson(page.entries().stream().map(e -> EntryJson.treeEntry(e, expand ? tree.lastCommit(e.path())
                : Optional.empty())).toList());
    }

    private void pathsInfo(Call call) {
        Optional<RepoInfo> repo = access.readable(call);
        if (repo.isEmpty()) {
            return;
        }
        var git = access.git(repo.get());
        RepoAccess.RevisionAndPath at = RepoAccess.split(git, call.rest(), false);
        call.header("X-Repo-Commit", at.revision().sha());
        Request request = parse(call);
        RevisionTree tree = new RevisionTree(git, at.revision().commit());
        List<Map<String, Object>> out = new ArrayList<>();
        for (String path : request.paths()) {
            tree.entry(path).ifPresent(e -> out.add(EntryJson.treeEntry(e,
                    request.expand() ? tree.lastCommit(e.path()) : Optional.empty())));
        }
        call.sendJson(out);
    }

    private record Request(Set<String> paths, boolean expand) {
    }

    /** {@code paths=a&paths=b&expand=false} (Python) or {@code {"paths": [...], "expand": bool}} (JS). */
    private static Request parse(Call call) {
        String type = call.header(HeaderNames.CONTENT_TYPE).orElse("").toLowerCase(Locale.ROOT);
        Set<String> paths = new LinkedHashSet<>();
        boolean expand;
        if (type.startsWith("application/json")) {
            JsonNode body = call.json();
            JsonNode list = body.path("paths");
            if (!list.isArray()) {
                throw QuiverException.badRequest("paths must be a list of file paths");
            }
            list.forEach(p -> paths.add(p.asText()));
            JsonNode e = body.path("expand");
            expand = e.isBoolean() ? e.asBoolean() : Call.isTrue(e.asText("false"));
        } else {
            String form = new String(call.body(Call.MAX_JSON_BYTES), StandardCharsets.UTF_8);
            boolean ex = false;
            for (String pair : form.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                switch (key) {
                    case "paths", "paths[]" -> paths.add(value);
                    case "expand" -> ex = Call.isTrue(value);
                    default -> { }
                }
            }
            expand = ex;
        }
        if (paths.size() > MAX_PATHS) {
            throw QuiverException.badRequest("at most " + MAX_PATHS + " paths per request, not " + paths.size());
        }
        List<String> problems = new ArrayList<>();
        for (String p : paths) {
            String problem = RepoPath.problem(p);
            if (!problem.isEmpty()) {
                problems.add("invalid path '" + p.replaceAll("\\p{Cntrl}", "?") + "': " + problem);
            }
        }
        if (!problems.isEmpty()) {
            throw new QuiverException(Reason.BAD_REQUEST, String.join("\n", problems), problems);
        }
        return new Request(paths, expand);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw QuiverException.badRequest("malformed form body");
        }
    }
}
