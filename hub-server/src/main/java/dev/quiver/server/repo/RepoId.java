package dev.quiver.server.repo;

import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.QuiverException;
import java.util.regex.Pattern;

/**
 * A repository's identity: its type, owner (user or organization) and name, validated the way the
 * Hugging Face clients validate repo ids (1-96 characters from {@code [\w.-]}, no {@code --} or
 * {@code ..}, not starting or ending with {@code -} or {@code .}). Its type is one the hub keeps
 * ({@link HostedTypes}).
 */
public record RepoId(RepoType type, String owner, String name) {
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_.-]{1,96}");

    public RepoId {
        if (!HostedTypes.ALL.contains(type)) {
            throw new IllegalArgumentException("this hub keeps no " + type.plural());
        }
        checkPart("owner", owner);
        checkPart("name", name);
    }

    public static RepoId of(RepoType type, String id) {
        int slash = id.indexOf('/');
        if (slash < 0 || slash != id.lastIndexOf('/')) {
            throw QuiverException.badRequest("repository id '" + id + "' must look like owner/name");
        }
        return new RepoId(type, id.substring(0, slash), id.substring(slash + 1));
    }

    private static void checkPart(String what, String value) {
        if (value == null || !PART.matcher(value).matches() || value.contains("--") || value.contains("..")
                || value.startsWith("-") || value.startsWith(".") || value.endsWith("-") || value.endsWith(".")
                || value.endsWith(".git")) {
            throw QuiverException.badRequest("invalid repository " + what + " '" + value
                    + "': use 1-96 letters, digits, '-', '_' or '.', without '--' or '..', not starting or ending with '-' or '.'");
        }
    }

    /** {@code owner/name}. */
    public String id() {
        return owner + "/" + name;
    }

    /** The web path: {@code owner/name} or {@code datasets/owner/name}. */
    public String webPath() {
        return type.urlPrefix() + id();
    }

    @Override
    public String toString() {
        return webPath();
    }
}
