package dev.quiver.schema.repo;

import java.util.Locale;

/**
 * The three kinds of Hugging Face Hub repository, with the spellings the HF API uses for each. A
 * hub need not keep all three: Quiver's keeps models and datasets, and says which it keeps itself.
 */
public enum RepoType {
    MODEL("model", "models", ""),
    DATASET("dataset", "datasets", "datasets/"),
    SPACE("space", "spaces", "spaces/");

    private final String singular;
    private final String plural;
    private final String urlPrefix;

    RepoType(String singular, String plural, String urlPrefix) {
        this.singular = singular;
        this.plural = plural;
        this.urlPrefix = urlPrefix;
    }

    /** {@code model}, {@code dataset}, {@code space}: the {@code type} field of create/delete bodies. */
    public String singular() {
        return singular;
    }

    /** {@code models}, ...: the segment after {@code /api/} and the cache folder prefix. */
    public String plural() {
        return plural;
    }

    /** What precedes {@code ns/name} in file and git URLs: nothing for models, {@code datasets/} for datasets. */
    public String urlPrefix() {
        return urlPrefix;
    }

    /**
     * Accepts the singular or plural name, any case, blanks around it ignored.
     *
     * @throws IllegalArgumentException for anything else, naming the allowed values
     */
    public static RepoType parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (RepoType type : values()) {
            if (type.singular.equals(t) || type.plural.equals(t)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown repo type '" + text + "': use model, dataset or space");
    }
}
