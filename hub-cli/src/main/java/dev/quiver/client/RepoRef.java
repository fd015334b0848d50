package dev.quiver.client;

import dev.quiver.schema.repo.RepoType;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A repository on a hub: its type and its id ({@code namespace/name}, or a bare {@code name} for the
 * Hub's few canonical models). Validated with the Hub's naming rule so that a typo fails before any
 * request is sent, and so that an id can never smuggle {@code ..} or a slash into a URL or a path.
 */
public record RepoRef(RepoType type, String id) {
    private static final Pattern PART = Pattern.compile("[\\w.-]{1,96}");

    public RepoRef {
        String[] parts = id.split("/", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("repo id '" + id + "' has more than one '/': use namespace/name");
        }
        for (String part : parts) {
            if (!PART.matcher(part).matches() || part.contains("--") || part.contains("..")
                    || part.startsWith("-") || part.startsWith(".") || part.endsWith("-") || part.endsWith(".")) {
                throw new IllegalArgumentException("invalid repo id '" + id + "': namespace and name are 1-96 of "
                        + "letters, digits, '_', '-', '.', without '--' or '..' and not starting or ending with '-' or '.'");
            }
        }
    }

    public static RepoRef model(String id) {
        return new RepoRef(RepoType.MODEL, id);
    }

    public static RepoRef dataset(String id) {
        return new RepoRef(RepoType.DATASET, id);
    }

    /** The namespace (user or organisation), absent for a canonical model such as {@code gpt2}. */
    public Optional<String> namespace() {
        int slash = id.indexOf('/');
        return slash < 0 ? Optional.empty() : Optional.of(id.substring(0, slash));
    }

    public String name() {
        return id.substring(id.indexOf('/') + 1);
    }

    /** {@code /api/models/ns/name}. */
    public String apiPath() {
        return "/api/" + type.plural() + "/" + id;
    }

    /** {@code /datasets/ns/name} (no prefix for models): the base of resolve and web URLs. */
    public String webPath() {
        return "/" + type.urlPrefix() + id;
    }

    /** {@code models--ns--name}: the repository's folder in the HF cache. */
    public String cacheFolderName() {
        return type.plural() + "--" + id.replace("/", "--");
    }

    @Override
    public String toString() {
        return type == RepoType.MODEL ? id : type.plural() + "/" + id;
    }
}
