package dev.quiver.server.search;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One page of results.
 *
 * @param total how many repositories match in all (exact when facets were counted, else at least the
 *     page)
 * @param next the cursor of the following page, absent on the last one
 * @param facets per facet, its most frequent values among the matches (counted as if that facet's own
 *     choice were not made, so that other values stay visible)
 * @param didYouMean a spelling of the text that finds something, offered when the text found nothing
 */
public record SearchPage(List<Hit> hits, long total, Optional<String> next, Map<Facet, List<FacetCount>> facets,
        Optional<String> didYouMean) {
    public SearchPage {
        hits = List.copyOf(hits);
        facets = Map.copyOf(facets);
    }

    /** A matching repository, its score (NaN when not sorted by relevance) and card snippets. */
    public record Hit(RepoDocument doc, float score, List<String> highlights) {
        public Hit {
            highlights = List.copyOf(highlights);
        }
    }

    /** A facet value and how many matching repositories have it. */
    public record FacetCount(String value, long count) {
    }
}
