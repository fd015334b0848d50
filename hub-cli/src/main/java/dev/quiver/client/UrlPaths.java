package dev.quiver.client;

import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding for URL path segments as huggingface_hub does it: a revision is one segment
 * ({@code refs/pr/1} becomes {@code refs%2Fpr%2F1}); a file path keeps its slashes.
 */
public final class UrlPaths {
    private UrlPaths() {
    }

    /** Encodes everything but RFC 3986 unreserved characters, slashes included. */
    public static String segment(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return out.toString();
    }

    /** Encodes each segment of a file path and keeps the slashes between them. */
    public static String path(String path) {
        String[] parts = path.split("/", -1);
        StringBuilder out = new StringBuilder(path.length() + 8);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                out.append('/');
            }
            out.append(segment(parts[i]));
        }
        return out.toString();
    }

    /** Encodes a query parameter value. */
    public static String query(String value) {
        return segment(value);
    }
}
