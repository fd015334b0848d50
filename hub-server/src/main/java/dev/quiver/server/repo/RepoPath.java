package dev.quiver.server.repo;

import dev.quiver.server.QuiverException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A file path inside a repository, checked once at the edge: relative, {@code /}-separated, no empty,
 * {@code .} or {@code ..} segments, no {@code .git} segment, no backslash, NUL or control
 * characters, at most 4096 bytes with segments of at most 255 bytes.
 */
public record RepoPath(String value) {
    public static final int MAX_BYTES = 4096;
    private static final int MAX_SEGMENT_BYTES = 255;

    public RepoPath {
        String problem = problem(value);
        if (!problem.isEmpty()) {
            throw QuiverException.badRequest("invalid path '" + printable(value) + "': " + problem);
        }
    }

    /** Why {@code path} is not a valid repository path, or an empty string when it is. */
    public static String problem(String path) {
        if (path == null || path.isEmpty()) {
            return "path is empty";
        }
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "longer than " + MAX_BYTES + " bytes";
        }
        if (path.startsWith("/")) {
            return "absolute paths are not allowed";
        }
        for (int i = 0; i < path.length(); i++) {
            char ch = path.charAt(i);
            if (ch < 0x20 || ch == 0x7f) {
                return "control characters are not allowed";
            }
            if (ch == '\\') {
                return "backslashes are not allowed; use '/'";
            }
            if (Character.isSurrogate(ch) && !validSurrogatePair(path, i)) {
                return "not valid UTF-8";
            }
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty()) {
                return "empty path segment";
            }
            if (segment.equals(".") || segment.equals("..")) {
                return "'.' and '..' segments are not allowed";
            }
            if (segment.toLowerCase(Locale.ROOT).equals(".git")) {
                return "'.git' is reserved";
            }
            if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
                return "a path segment is longer than " + MAX_SEGMENT_BYTES + " bytes";
            }
        }
        return "";
    }

    private static boolean validSurrogatePair(String s, int i) {
        char ch = s.charAt(i);
        if (Character.isHighSurrogate(ch)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    private static String printable(String s) {
        if (s == null) {
            return "";
        }
        String shown = s.length() > 120 ? s.substring(0, 120) + "..." : s;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    /** The last segment. */
    public String fileName() {
        return value.substring(value.lastIndexOf('/') + 1);
    }

    @Override
    public String toString() {
        return value;
    }
}
