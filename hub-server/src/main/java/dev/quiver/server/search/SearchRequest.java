package dev.quiver.server.search;

import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.QuiverException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One search, as both the HF listing API and Quiver's own search endpoint ask for it.
 *
 * @param text free text; empty lists everything
 * @param author the owner, compared case-insensitively
 * @param filters HF {@code filter} values, all of which must hold ({@code peft}, {@code license:mit},
 *     {@code dataset:org/x}, {@code base_model:adapter:org/x}, {@code language:es}, ...)
 * @param facetFilters chosen facet values: any value of a facet, and every facet, must hold
 * @param cursor where the previous page ended
 * @param facets whether to count every facet's values
 * @param highlights whether to mark the matching words in the card
 * @param suggest whether to offer a respelling when the text finds nothing (a spell check of every
 *     word: asked only where the answer shows it)
 */
public record SearchRequest(Optional<RepoType> type, Optional<String> text, Optional<String> author,
        List<String> filters, Optional<String> pipelineTag, Optional<Boolean> gated,
        Map<Facet, List<String>> facetFilters, SortOrder sort, int limit, Optional<String> cursor, boolean facets,
        boolean highlights, boolean suggest) {
    public static final int MAX_LIMIT = 1000;
    public static final int MAX_FILTERS = 64;

    public SearchRequest {
        Objects.requireNonNull(type, "type");
        text = text.map(String::strip).filter(t -> !t.isEmpty());
        filters = List.copyOf(filters);
        Map<Facet, List<String>> chosen = new EnumMap<>(Facet.class);
        facetFilters.forEach((facet, values) -> {
            // the facet path separator cannot be part of a value: indexing turned it into a space too
            List<String> clean = values.stream().map(v -> v.replace('\u001f', ' ').strip()).filter(v -> !v.isEmpty())
                    .toList();
            if (!clean.isEmpty()) {
                chosen.put(facet, clean);
            }
        });
        facetFilters = Map.copyOf(chosen);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw QuiverException.badRequest("limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
        }
        int filterCount = filters.size() + facetFilters.values().stream().mapToInt(List::size).sum();
        if (filterCount > MAX_FILTERS) {
            throw QuiverException.badRequest("at most " + MAX_FILTERS + " filters are accepted, not " + filterCount);
        }
        text.ifPresent(TextQuery::words);
    }

    /** A listing of one type with nothing chosen yet, in {@code sort} order. */
    public static SearchRequest listing(RepoType type, SortOrder sort, int limit) {
        return new SearchRequest(Optional.of(type), Optional.empty(), Optional.empty(), List.of(), Optional.empty(),
                Optional.empty(), Map.of(), sort, limit, Optional.empty(), false, false, false);
    }

    public SearchRequest withText(Optional<String> newText) {
        return new SearchRequest(type, newText, author, filters, pipelineTag, gated, facetFilters, sort, limit, cursor,
                facets, highlights, suggest);
    }

    /** Whether a page with {@code total} matches looks for a respelling: the first page of a text that found nothing. */
    public boolean looksForRespelling(long total) {
        return suggest && total == 0 && text.isPresent() && cursor.isEmpty();
    }

    public SearchRequest withSuggest(boolean newSuggest) {
        return new SearchRequest(type, text, author, filters, pipelineTag, gated, facetFilters, sort, limit, cursor,
                facets, highlights, newSuggest);
    }

    public SearchRequest withCursor(Optional<String> newCursor) {
        return new SearchRequest(type, text, author, filters, pipelineTag, gated, facetFilters, sort, limit, newCursor,
                facets, highlights, suggest);
    }
}
