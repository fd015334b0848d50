package dev.quiver.server.search;

import java.io.IOException;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.uhighlight.DefaultPassageFormatter;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;

/**
 * Card snippets with the matching words marked {@code <mark>...</mark>}; the rest of the text is
 * HTML-escaped, so a snippet is safe to insert as HTML. A card without a match gives its opening.
 */
final class Highlights {
    private static final int MAX_CHARS_SCANNED = 20_000;

    private Highlights() {
    }

    /** One snippet per document of {@code top}, in order; null where a document has no card text. */
    static String[] of(FacetedSearcher searcher, Query query, TopDocs top) throws IOException {
        UnifiedHighlighter highlighter = UnifiedHighlighter.builder(searcher, Analyzers.forIndexing())
                .withFormatter(new DefaultPassageFormatter("<mark>", "</mark>", "… ", true))
                .withMaxLength(MAX_CHARS_SCANNED)
                .build();
        return highlighter.highlight(IndexSchema.CARD_EN, query, top, 1);
    }
}
