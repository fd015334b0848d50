package dev.quiver.server.repo;

import dev.quiver.server.QuiverException;
import java.util.Locale;
import java.util.Optional;

/** The kinds of repository the hub keeps; each has its plural for API URLs and a prefix for file URLs. */
public enum RepoType {
    MODEL("model", "models", ""),
    DATASET("dataset", "datasets", "datasets/");

    private final String singular;
    private final String plural;
    private final String urlPrefix;

    RepoType(String singular, String plural, String urlPrefix) {
        this.singular = singular;
        this.plural = plural;
        this.urlPrefix = urlPrefix;
    }

    public String singular() {
        return singular;
    }

    public String plural() {
        return plural;
    }

    /** Prefix of file and git URLs: none for models, {@code datasets/} for datasets. */
    public String urlPrefix() {
        return urlPrefix;
    }

    public static Optional<RepoType> fromPlural(String plural) {
        for (RepoType t : values()) {
            if (t.plural.equals(plural)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Parses the {@code type} field clients send ({@code model}, {@code dataset}; absent means model). */
    public static RepoType fromSingular(String singular) {
        if (singular == null || singular.isEmpty()) {
            return MODEL;
        }
        String s = singular.toLowerCase(Locale.ROOT);
        for (RepoType t : values()) {
            if (t.singular.equals(s) || t.plural.equals(s)) {
                return t;
            }
        }
        throw QuiverException.badRequest("unknown repository type '" + singular + "': use model or dataset");
    }
}
