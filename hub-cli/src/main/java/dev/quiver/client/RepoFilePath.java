package dev.quiver.client;

/**
 * Checks that a path in a repository, as a hub or a user gave it, can be used as a relative path on
 * this machine: no absolute paths, no {@code .} or {@code ..} segments, no empty segments, no
 * backslashes or control characters. A hostile hub cannot make a download write outside its folder.
 */
public final class RepoFilePath {
    private RepoFilePath() {
    }

    public static String check(String path) {
        if (path.isEmpty() || path.length() > 4096) {
            throw new HubException(HubException.Problem.BAD_INPUT, "invalid repository path (empty or too long)");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                throw new HubException(HubException.Problem.BAD_INPUT,
                        "invalid repository path '" + printable(path) + "': control character or backslash");
            }
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new HubException(HubException.Problem.BAD_INPUT, "invalid repository path '" + printable(path)
                        + "': it must be relative, without empty, '.' or '..' segments");
            }
        }
        return path;
    }

    /** A 40- or 64-character lower-case hex id (git sha1, sha256): the only blob names the cache accepts. */
    public static String checkHexId(String id, String what) {
        if (!(id.length() == 40 || id.length() == 64) || !id.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new HubException(HubException.Problem.OTHER, "the hub sent an invalid " + what + " '" + printable(id) + "'");
        }
        return id;
    }

    public static boolean isCommitId(String revision) {
        return revision.length() == 40 && revision.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(200).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}
