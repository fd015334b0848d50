package dev.quiver.server.api;

import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.auth.Permissions;
import dev.quiver.server.repo.RepoId;
import dev.quiver.server.repo.RepoStore;
import dev.quiver.server.search.ReadScope;
import dev.quiver.server.search.RepoSearch;
import dev.quiver.server.search.SearchPage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finding repositories: the HF listing API ({@code GET /api/models}, {@code GET /api/datasets}),
 * Quiver's faceted search for people ({@code GET /api/quiver/search}) and the adapters of a base
 * model ({@code GET /api/quiver/models/{ns}/{name}/adapters}). Private repositories the caller may
 * not read are never found.
 */
public final class SearchEndpoints {
    /** What a written answer depends on besides its page, per endpoint (see {@link RepoSearch.PageWriter}). */
    private static final String SEARCH_SHAPE = "quiver-search";

    private record ListingShape(boolean cardData, List<String> expand) {
    }

    private record AdaptersShape(String base, Optional<String> revision) {
    }

    private final RepoSearch search;
    private final RepoStore repos;
    private final Permissions permissions;

    public SearchEndpoints(RepoSearch search, RepoStore repos, Permissions permissions) {
        this.search = search;
        this.repos = repos;
        this.permissions = permissions;
    }

    public void routes(Router.Builder r) {
        r.get("/api/models", call -> list(call, RepoType.MODEL));
        r.get("/api/datasets", call -> list(call, RepoType.DATASET));
        r.get("/api/quiver/search", this::search);
        r.get("/api/quiver/models/{ns}/{name}/adapters", this::adapters);
    }

    private void list(Call call, RepoType type) {
        boolean cardData = call.flag("cardData") || call.flag("full");
        List<String> expand = call.queryAll("expand");
        send(call, search.search(SearchParams.listing(call, type), scope(call), new RepoSearch.PageWriter(
                new ListingShape(cardData, expand), page -> SearchJson.bytes(page.hits().stream()
                        .map(h -> SearchJson.listingItem(h.doc(), cardData, expand)).toList()))));
    }

    private void search(Call call) {
        send(call, search.search(SearchParams.search(call), scope(call), new RepoSearch.PageWriter(SEARCH_SHAPE,
                page -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("total", page.total());
                    body.put("items", page.hits().stream().map(SearchJson::hit).toList());
                    body.put("facets", SearchJson.facets(page.facets()));
                    page.didYouMean().ifPresent(d -> body.put("didYouMean", d));
                    return SearchJson.bytes(body);
                })));
    }

    private void adapters(Call call) {
        RepoId base = new RepoId(RepoType.MODEL, call.var("ns"), call.var("name"));
        // the base need not live here (adapters often name Hub models); if it does, it must be readable
        repos.info(base).ifPresent(info -> permissions.readable(call.caller(), base));
        Optional<String> revision = call.query("revision").map(String::strip).filter(r -> !r.isEmpty());
        send(call, search.adaptersOf(base.id(), revision, SearchParams.adapters(call), scope(call),
                new RepoSearch.PageWriter(new AdaptersShape(base.id(), revision), page -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("baseModel", base.id());
                    revision.ifPresent(r -> body.put("revision", r));
                    body.put("total", page.total());
                    body.put("items", page.hits().stream().map(h -> adapterItem(h, base)).toList());
                    body.put("facets", SearchJson.facets(page.facets()));
                    return SearchJson.bytes(body);
                })));
    }

    /** Sends an answer, written now or kept from an equal request, with the link to the next page. */
    private static void send(Call call, RepoSearch.Answer answer) {
        answer.next().ifPresent(cursor -> Pages.linkNext(call, "cursor", cursor));
        call.sendJsonBytes(answer.body());
    }

    private static Map<String, Object> adapterItem(SearchPage.Hit hit, RepoId base) {
        Map<String, Object> item = SearchJson.hit(hit);
        hit.doc().baseModels().stream().filter(b -> b.id().equalsIgnoreCase(base.id())).findFirst()
                .flatMap(b -> b.revision()).ifPresent(r -> item.put("baseRevision", r));
        return item;
    }

    private ReadScope scope(Call call) {
        return ReadScope.of(call.caller(), permissions);
    }
}
