package dev.quiver.server.api;

import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import dev.quiver.server.auth.Permissions;
import dev.quiver.server.card.CardHtml;
import dev.quiver.server.card.CommitChanges;
import dev.quiver.server.card.RevisionFiles;
import dev.quiver.server.lfs.BlobStore;
import dev.quiver.server.repo.RepoInfo;
import dev.quiver.server.repo.RepoStore;
import dev.quiver.server.repo.Revision;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * What the web UI reads beyond the HF API: a revision's model card as sanitized HTML
 * ({@code GET /api/quiver/{type}/{ns}/{name}/card/{rev}}) and one commit with the files it changed
 * ({@code GET /api/quiver/{type}/{ns}/{name}/commit/{rev}}).
 */
public final class UiEndpoints {
    private static final int MAX_CHANGES = 1000;

    private final RepoAccess access;
    private final BlobStore blobs;

    public UiEndpoints(RepoStore repos, Permissions permissions, BlobStore blobs) {
        this.access = new RepoAccess(repos, permissions);
        this.blobs = blobs;
    }

    public void routes(Router.Builder r) {
        r.get("/api/quiver/{type}/{ns}/{name}/card/{rev*}", this::card);
        r.get("/api/quiver/{type}/{ns}/{name}/commit/{rev*}", this::commit);
    }

    private void card(Call call) {
        Optional<RepoInfo> repo = access.readable(call);
        if (repo.isEmpty()) {
            return;
        }
        Revision rev = revision(call, repo.get());
        Optional<byte[]> readme = new RevisionFiles(access.git(repo.get()), rev.commit(), blobs)
                .read("README.md", CardHtml.MAX_MARKDOWN_CHARS * 4);
        String web = "/" + repo.get().id().webPath() + "/";
        String revSegment = segment(rev.asked());
        CardHtml.Links links = new CardHtml.Links(web + "blob/" + revSegment + "/", web + "resolve/" + revSegment + "/");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sha", rev.sha());
        body.put("exists", readme.isPresent());
        body.put("html", readme.map(b -> CardHtml.renderReadme(new String(b, StandardCharsets.UTF_8), links))
                .orElse(""));
        call.sendJson(body);
    }

    private void commit(Call call) {
        Optional<RepoInfo> repo = access.readable(call);
        if (repo.isEmpty()) {
            return;
        }
        RevCommit c = revision(call, repo.get()).commit();
        CommitChanges.Page page = CommitChanges.of(access.git(repo.get()), c, MAX_CHANGES);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", c.name());
        body.put("title", c.getShortMessage());
        body.put("message", c.getFullMessage());
        body.put("date", Dates.iso(c.getCommitterIdent().getWhenAsInstant()));
        body.put("authors", List.of(Map.of("user", c.getAuthorIdent().getName())));
        body.put("parents", Arrays.stream(c.getParents()).map(RevCommit::name).toList());
        body.put("files", page.changes().stream().map(UiEndpoints::changeJson).toList());
        body.put("filesTotal", page.total());
        call.sendJson(body);
    }

    private Revision revision(Call call, RepoInfo repo) {
        RepoAccess.RevisionAndPath at = RepoAccess.split(access.git(repo), call.rest(), false);
        if (!at.path().isEmpty()) {
            throw new QuiverException(Reason.REVISION_NOT_FOUND, "Invalid rev id: " + String.join("/", call.rest()));
        }
        return at.revision();
    }

    private static Map<String, Object> changeJson(CommitChanges.Change c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", c.path());
        m.put("change", c.kind().name().toLowerCase(java.util.Locale.ROOT));
        c.oldId().ifPresent(id -> m.put("oldOid", id));
        c.newId().ifPresent(id -> m.put("newOid", id));
        return m;
    }

    /** A revision as one URL path segment: everything but unreserved characters percent-encoded. */
    static String segment(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
