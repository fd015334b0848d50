package dev.quiver.server.search;

import dev.quiver.server.QuiverException;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;

/**
 * How results are ordered: by relevance to the search text, or by one of the Hub's {@code sort}
 * values, always descending (HF's {@code direction=-1} is the only direction). Ties are broken by
 * repository id, so that every order is total and pagination neither repeats nor skips.
 */
public enum SortOrder {
    RELEVANCE("relevance", ""),
    LAST_MODIFIED("lastModified", IndexSchema.MODIFIED),
    CREATED_AT("createdAt", IndexSchema.CREATED),
    TRENDING("trendingScore", IndexSchema.TRENDING),
    DOWNLOADS("downloads", IndexSchema.DOWNLOADS),
    LIKES("likes", IndexSchema.LIKES);

    private final String wire;
    private final String field;

    SortOrder(String wire, String field) {
        this.wire = wire;
        this.field = field;
    }

    public String wire() {
        return wire;
    }

    /** Parses a {@code sort} value (400 with the accepted values otherwise). */
    public static SortOrder parse(String value) {
        for (SortOrder s : values()) {
            if (s.wire.equals(value)) {
                return s;
            }
        }
        throw QuiverException.badRequest("sort must be one of " + Arrays.stream(values()).map(SortOrder::wire)
                .collect(Collectors.joining(", ")) + ", not '" + value + "'");
    }

    Sort sort() {
        SortField first = this == RELEVANCE ? SortField.FIELD_SCORE : new SortField(field, SortField.Type.LONG, true);
        return new Sort(first, new SortField(IndexSchema.KEY, SortField.Type.STRING));
    }
}
