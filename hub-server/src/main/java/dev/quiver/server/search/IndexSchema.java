package dev.quiver.server.search;

import org.apache.lucene.facet.FacetsConfig;

/**
 * The index layout: field names, the facet dimensions and the schema version. The version is stored
 * in every commit's user data; an index written with another version is rebuilt on start, so any
 * change to fields or analysis must bump {@link #VERSION}.
 */
final class IndexSchema {
    static final String VERSION = "4";
    static final String USER_DATA_VERSION = "quiver.schema";
    static final String USER_DATA_SEQ = "quiver.outbox-seq";

    /** {@code model:owner/name}: the one term that identifies a document, and the last sort key. */
    static final String KEY = "key";
    static final String TYPE = "type";
    /** The owner as written, for access filtering against caller names. */
    static final String OWNER = "owner";
    /** The owner lower-cased, for the {@code author} parameter. */
    static final String AUTHOR = "author";
    static final String PRIVATE = "private";
    static final String GATED = "gated";
    static final String ID_EXACT = "id_exact";
    static final String NAME_EXACT = "name_exact";
    static final String NAME_TEXT = "name_text";
    static final String NAME_PREFIX = "name_prefix";
    static final String TAGS_TEXT = "tags_text";
    static final String CARD_EN = "card_en";
    static final String CARD_ES = "card_es";
    /** Unstemmed words of names, tags and cards: where "did you mean" looks for corrections. */
    static final String SPELL = "spell";
    /** Every lower-cased form HF's {@code filter} parameter may name: tags, {@code license:x}, ... */
    static final String FILTER = "filter";
    static final String PIPELINE_TAG = "pipeline_tag";
    static final String BASE_MODEL = "base_model";
    /** {@code org/base@revision} for each base model named with a revision. */
    static final String BASE_REVISION = "base_revision";
    static final String DOWNLOADS = "downloads";
    static final String LIKES = "likes";
    static final String CREATED = "created";
    static final String MODIFIED = "modified";
    static final String TRENDING = "trending";
    static final String FEATURES = "features";
    static final String POPULARITY = "popularity";
    /** The document as JSON (binary doc values), for building answers without another lookup. */
    static final String STORED = "doc";

    static final String PUBLIC = "false";
    static final String HIDDEN = "true";

    private IndexSchema() {
    }

    /** Facet configuration shared by the writer and every reader. */
    static FacetsConfig facetsConfig() {
        FacetsConfig config = new FacetsConfig();
        for (Facet f : Facet.values()) {
            config.setMultiValued(f.dim(), f.multiValued());
        }
        return config;
    }
}
