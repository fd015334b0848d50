package dev.quiver.server.api;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A single byte range of a {@code Range} header, resolved against a file's length (RFC 9110 §14):
 * {@code bytes=a-b}, {@code bytes=a-} and the suffix {@code bytes=-n}. A header this hub does not
 * serve as a range (several ranges, another unit, bad syntax) is ignored and the whole file is sent,
 * as the RFC allows; a well-formed range that selects nothing is unsatisfiable (416).
 *
 * @param first the first byte, inclusive
 * @param last the last byte, inclusive
 */
record ByteRange(long first, long last) {
    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d{0,19})-(\\d{0,19})");

    /** What a {@code Range} header asks of a file. */
    sealed interface Request {
    }

    /** Send the whole file. */
    record Whole() implements Request {
    }

    /** Send one part. */
    record Part(ByteRange range) implements Request {
    }

    /** Nothing in the file matches: 416 with {@code Content-Range: bytes *}{@code /length}. */
    record Unsatisfiable() implements Request {
    }

    ByteRange {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("invalid range " + first + "-" + last);
        }
    }

    long length() {
        return last - first + 1;
    }

    String contentRange(long total) {
        return "bytes " + first + "-" + last + "/" + total;
    }

    static Request parse(Optional<String> header, long fileLength) {
        if (header.isEmpty()) {
            return new Whole();
        }
        Matcher m = SINGLE.matcher(header.get().strip().replace(" ", ""));
        if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
            return new Whole();
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0 || fileLength == 0) {
                    return new Unsatisfiable();
                }
                return new Part(new ByteRange(Math.max(0, fileLength - suffix), fileLength - 1));
            }
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? Long.MAX_VALUE : Long.parseLong(m.group(2));
            if (last < first) {
                return new Whole(); // syntactically invalid: ignored, per the RFC
            }
            if (first >= fileLength) {
                return new Unsatisfiable();
            }
            return new Part(new ByteRange(first, Math.min(last, fileLength - 1)));
        } catch (NumberFormatException tooBig) {
            return new Whole();
        }
    }
}
