package dev.quiver.server.search;

import java.util.Optional;

/**
 * The facets people narrow a search by. The dimension name is also the query parameter of the
 * search endpoint ({@code ?library=peft&language=es}) and the key of its facet counts.
 */
public enum Facet {
    TYPE("type", false),
    AUTHOR("author", false),
    LIBRARY("library", false),
    TASK("pipeline_tag", false),
    LICENSE("license", false),
    LANGUAGE("language", true),
    DATASET("dataset", true),
    TAG("tag", true),
    BASE_MODEL("base_model", true),
    PEFT_TYPE("peft_type", false),
    RANK("rank", false),
    VERIFICATION("verification", false);

    private final String dim;
    private final boolean multiValued;

    Facet(String dim, boolean multiValued) {
        this.dim = dim;
        this.multiValued = multiValued;
    }

    public String dim() {
        return dim;
    }

    boolean multiValued() {
        return multiValued;
    }

    public static Optional<Facet> fromDim(String dim) {
        for (Facet f : values()) {
            if (f.dim.equals(dim)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
