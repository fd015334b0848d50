package dev.quiver.server.repo;

import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.QuiverException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The repository types this hub keeps: models and datasets. Spaces, the HF API's third type, are not
 * kept: every lookup here treats them as unknown, and {@link RepoId} refuses them.
 */
public final class HostedTypes {
    /** Every kept type, in the order routes are registered and listings run. */
    public static final List<RepoType> ALL = List.of(RepoType.MODEL, RepoType.DATASET);

    private HostedTypes() {
    }

    /** The kept type an API path names ({@code models}, {@code datasets}); empty for anything else. */
    public static Optional<RepoType> fromPlural(String plural) {
        for (RepoType t : ALL) {
            if (t.plural().equals(plural)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * Parses the {@code type} field clients send ({@code model}, {@code dataset}, either spelling, any
     * case; absent means model).
     *
     * @throws QuiverException bad request for any other type, spaces included
     */
    public static RepoType fromSingular(String singular) {
        if (singular == null || singular.isEmpty()) {
            return RepoType.MODEL;
        }
        String s = singular.toLowerCase(Locale.ROOT);
        for (RepoType t : ALL) {
            if (t.singular().equals(s) || t.plural().equals(s)) {
                return t;
            }
        }
        throw QuiverException.badRequest("unknown repository type '" + singular + "': use model or dataset");
    }
}
