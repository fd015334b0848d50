package dev.quiver.server.search;

import dev.quiver.server.QuiverException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.util.BytesRef;

/**
 * The opaque {@code cursor} of a next-page link: the sort values of the last result shown, so the
 * next page starts strictly after it. Values, not Lucene document numbers, so a cursor stays valid
 * across index refreshes. Anything a client sends is checked; a forged cursor is a 400.
 */
final class Cursor {
    private static final String VERSION = "1";
    private static final int MAX_LENGTH = 600;
    private static final Pattern KEY = Pattern.compile("(model|dataset):[A-Za-z0-9_.-]{1,96}/[A-Za-z0-9_.-]{1,96}");

    private Cursor() {
    }

    static String encode(SortOrder order, FieldDoc last) {
        Object first = last.fields[0];
        String value = order == SortOrder.RELEVANCE ? Integer.toString(Float.floatToIntBits((Float) first))
                : Long.toString((Long) first);
        String key = ((BytesRef) last.fields[1]).utf8ToString();
        String plain = VERSION + "|" + order.wire() + "|" + value + "|" + key;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The position a cursor names, for a search in {@code order}. Its document number is a placeholder:
     * see {@link #positioned}.
     */
    static FieldDoc decode(String cursor, SortOrder order) {
        if (cursor.length() > MAX_LENGTH) {
            throw invalid();
        }
        String plain;
        try {
            plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        String[] parts = plain.split("\\|", -1);
        if (parts.length != 4 || !parts[0].equals(VERSION) || !KEY.matcher(parts[3]).matches()) {
            throw invalid();
        }
        if (!parts[1].equals(order.wire())) {
            throw QuiverException.badRequest("this cursor belongs to a listing sorted by " + parts[1]
                    + ", not " + order.wire());
        }
        Object value;
        try {
            value = order == SortOrder.RELEVANCE ? (Object) Float.intBitsToFloat(Integer.parseInt(parts[2]))
                    : (Object) Long.parseLong(parts[2]);
        } catch (NumberFormatException e) {
            throw invalid();
        }
        if (value instanceof Float f && !Float.isFinite(f)) {
            throw invalid();
        }
        return new FieldDoc(0, Float.NaN, new Object[] {value, new BytesRef(parts[3])});
    }

    /**
     * The cursor's position for a reader of {@code maxDoc} documents. Lucene breaks ties of equal sort
     * values by document number, and only the cursor's own repository has its (unique) key, so the
     * highest number there is puts that repository before the position and nothing else.
     */
    static FieldDoc positioned(FieldDoc cursor, int maxDoc) {
        return new FieldDoc(maxDoc - 1, Float.NaN, cursor.fields);
    }

    private static QuiverException invalid() {
        return QuiverException.badRequest("invalid cursor: pass the Link header's next URL as it is");
    }
}
