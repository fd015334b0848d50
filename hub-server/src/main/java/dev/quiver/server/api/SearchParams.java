package dev.quiver.server.api;

import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.QuiverException;
import dev.quiver.server.repo.HostedTypes;
import dev.quiver.server.search.Facet;
import dev.quiver.server.search.SearchRequest;
import dev.quiver.server.search.SortOrder;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads search requests from query parameters: the HF listing's and Quiver's own. */
final class SearchParams {
    static final int LISTING_MAX = 1000;
    static final int SEARCH_DEFAULT = 20;
    static final int SEARCH_MAX = 100;

    private SearchParams() {
    }

    /**
     * {@code GET /api/models|datasets}: {@code search}, {@code author}, repeated (or comma-separated)
     * {@code filter}, {@code pipeline_tag}, {@code gated}, {@code sort}, {@code limit}, {@code cursor}.
     * {@code direction} is accepted and ignored (every order is descending, as on the Hub).
     */
    static SearchRequest listing(Call call, RepoType type) {
        Optional<String> text = nonBlank(call, "search");
        return new SearchRequest(Optional.of(type), text, nonBlank(call, "author"), filters(call),
                nonBlank(call, "pipeline_tag"), call.query("gated").map(Call::isTrue), Map.of(),
                sort(call, text.isPresent()), Pages.limit(call, LISTING_MAX), nonBlank(call, "cursor"), false, false, false);
    }

    /** {@code GET /api/quiver/search}: {@code q}, one parameter per facet (repeatable), {@code filter}, ... */
    static SearchRequest search(Call call) {
        Optional<String> text = nonBlank(call, "q");
        Map<Facet, List<String>> chosen = new EnumMap<>(Facet.class);
        for (Facet facet : Facet.values()) {
            List<String> values = call.queryAll(facet.dim()).stream().map(String::strip).filter(v -> !v.isEmpty())
                    .toList();
            chosen.put(facet, values);
        }
        chosen.get(Facet.TYPE).forEach(HostedTypes::fromSingular); // 400 for an unknown type
        return new SearchRequest(Optional.empty(), text, Optional.empty(), filters(call), Optional.empty(),
                call.query("gated").map(Call::isTrue), chosen, sort(call, text.isPresent()),
                call.query("limit").isPresent() ? Pages.limit(call, SEARCH_MAX) : SEARCH_DEFAULT,
                nonBlank(call, "cursor"), true, true, true);
    }

    /** {@code GET /api/quiver/models/{ns}/{name}/adapters}: most downloaded first unless {@code sort} says otherwise. */
    static SearchRequest adapters(Call call) {
        SortOrder sort = call.query("sort").map(SortOrder::parse).orElse(SortOrder.DOWNLOADS);
        return new SearchRequest(Optional.of(RepoType.MODEL), Optional.empty(), Optional.empty(), List.of(),
                Optional.empty(), Optional.empty(), Map.of(), sort, Pages.limit(call, LISTING_MAX),
                nonBlank(call, "cursor"), true, false, false);
    }

    private static SortOrder sort(Call call, boolean hasText) {
        return nonBlank(call, "sort").map(SortOrder::parse)
                .orElse(hasText ? SortOrder.RELEVANCE : SortOrder.TRENDING);
    }

    private static List<String> filters(Call call) {
        List<String> filters = call.queryAll("filter").stream().flatMap(f -> Arrays.stream(f.split(",")))
                .map(String::strip).filter(f -> !f.isEmpty()).toList();
        if (filters.stream().anyMatch(f -> f.length() > 512)) {
            throw QuiverException.badRequest("a filter is longer than 512 characters");
        }
        return filters;
    }

    private static Optional<String> nonBlank(Call call, String name) {
        return call.query(name).map(String::strip).filter(v -> !v.isEmpty());
    }
}
