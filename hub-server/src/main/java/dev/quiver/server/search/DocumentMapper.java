package dev.quiver.server.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.quiver.schema.json.Json;
import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.card.AdapterSummary;
import dev.quiver.server.repo.HostedTypes;
import dev.quiver.server.repo.RepoId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.FeatureField;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetField;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.util.BytesRef;

/** Turns a {@link RepoDocument} into Lucene fields, and the stored copy back into a document. */
final class DocumentMapper {
    /** Longest keyword kept: longer card values are junk for filtering and would break term limits. */
    private static final int MAX_KEYWORD = 256;
    /** Card text beyond this is not searched; real cards are far shorter. */
    private static final int MAX_CARD_TEXT = 64 * 1024;
    private static final int MAX_SPELL_CARD = 4 * 1024;
    /** Dataset card keys that the Hub turns into {@code key:value} tags. */
    private static final List<String> DATASET_TAG_KEYS = List.of("task_categories", "task_ids", "size_categories",
            "multilinguality", "source_datasets", "annotations_creators", "language_creators");
    private static final FieldType CARD_WITH_OFFSETS = cardFieldType();
    /** Text for BM25: queries match words, never phrases, so positions would only cost indexing time. */
    private static final FieldType SCORED_TEXT = textType(IndexOptions.DOCS_AND_FREQS);
    /** The spelling dictionary needs each word's document frequency and nothing else. */
    private static final FieldType WORDS_ONLY = textType(IndexOptions.DOCS);

    private DocumentMapper() {
    }

    static String key(RepoId id) {
        return id.type().singular() + ":" + id.id();
    }

    static Document toLucene(RepoDocument d) {
        Document doc = new Document();
        String key = key(d.id());
        doc.add(new StringField(IndexSchema.KEY, key, Field.Store.NO));
        doc.add(new SortedDocValuesField(IndexSchema.KEY, new BytesRef(key)));
        doc.add(new StringField(IndexSchema.TYPE, d.id().type().singular(), Field.Store.NO));
        doc.add(new StringField(IndexSchema.OWNER, d.id().owner(), Field.Store.NO));
        doc.add(new StringField(IndexSchema.AUTHOR, lower(d.id().owner()), Field.Store.NO));
        doc.add(new StringField(IndexSchema.PRIVATE, d.isPrivate() ? IndexSchema.HIDDEN : IndexSchema.PUBLIC,
                Field.Store.NO));
        doc.add(new StringField(IndexSchema.GATED, lower(d.gated()), Field.Store.NO));
        doc.add(new StringField(IndexSchema.ID_EXACT, lower(d.id().id()), Field.Store.NO));
        doc.add(new StringField(IndexSchema.NAME_EXACT, lower(d.id().name()), Field.Store.NO));
        doc.add(new Field(IndexSchema.NAME_TEXT, d.id().id(), SCORED_TEXT));
        doc.add(new Field(IndexSchema.NAME_PREFIX, d.id().id(), SCORED_TEXT));
        String words = describingWords(d);
        doc.add(new Field(IndexSchema.TAGS_TEXT, words, SCORED_TEXT));
        String card = d.cardText().length() > MAX_CARD_TEXT ? d.cardText().substring(0, MAX_CARD_TEXT) : d.cardText();
        doc.add(new Field(IndexSchema.CARD_EN, card, CARD_WITH_OFFSETS));
        doc.add(new Field(IndexSchema.CARD_ES, card, SCORED_TEXT));
        // the opening of a card holds its vocabulary; the rest would only slow indexing down
        String cardOpening = card.length() > MAX_SPELL_CARD ? card.substring(0, MAX_SPELL_CARD) : card;
        doc.add(new Field(IndexSchema.SPELL, d.id().id() + "\n" + words + "\n" + cardOpening,
                WORDS_ONLY));
        for (String term : filterTerms(d)) {
            doc.add(new StringField(IndexSchema.FILTER, term, Field.Store.NO));
        }
        d.pipelineTag().ifPresent(p -> doc.add(new StringField(IndexSchema.PIPELINE_TAG, keyword(lower(p)),
                Field.Store.NO)));
        for (RepoDocument.BaseModel base : d.baseModels()) {
            doc.add(new StringField(IndexSchema.BASE_MODEL, keyword(lower(base.id())), Field.Store.NO));
            base.revision().ifPresent(r -> doc.add(new StringField(IndexSchema.BASE_REVISION,
                    baseRevisionTerm(base.id(), r), Field.Store.NO)));
        }
        doc.add(new NumericDocValuesField(IndexSchema.DOWNLOADS, d.downloads()));
        doc.add(new NumericDocValuesField(IndexSchema.LIKES, d.likes()));
        doc.add(new NumericDocValuesField(IndexSchema.CREATED, d.createdAt().toEpochMilli()));
        doc.add(new NumericDocValuesField(IndexSchema.MODIFIED, d.lastModified().toEpochMilli()));
        doc.add(new NumericDocValuesField(IndexSchema.TRENDING, trendingScore(d.downloads(), d.likes())));
        doc.add(new FeatureField(IndexSchema.FEATURES, IndexSchema.POPULARITY,
                (float) Math.min(1e30, 1.0 + trendingScore(d.downloads(), d.likes()))));
        addFacets(doc, d);
        // doc values rather than a stored field: stored fields sit in compressed blocks shared with
        // the card text, and loading a page of results would decompress a block per hit
        doc.add(new BinaryDocValuesField(IndexSchema.STORED, new BytesRef(toJson(d))));
        return doc;
    }

    /**
     * The trending score: likes weigh ten downloads. The hub keeps no download history yet, so this is
     * all-time popularity rather than the Hub's recent-activity score.
     */
    static long trendingScore(long downloads, long likes) {
        return downloads + 10 * likes;
    }

    private static void addFacets(Document doc, RepoDocument d) {
        facet(doc, Facet.TYPE, d.id().type().singular());
        facet(doc, Facet.AUTHOR, d.id().owner());
        d.libraryName().ifPresent(v -> facet(doc, Facet.LIBRARY, v));
        d.pipelineTag().ifPresent(v -> facet(doc, Facet.TASK, v));
        d.license().ifPresent(v -> facet(doc, Facet.LICENSE, v));
        distinct(d.languages()).forEach(v -> facet(doc, Facet.LANGUAGE, v));
        distinct(d.datasets()).forEach(v -> facet(doc, Facet.DATASET, v));
        distinct(d.tags().stream().filter(t -> !t.contains(":") && !d.languages().contains(t)).toList())
                .forEach(v -> facet(doc, Facet.TAG, v));
        distinct(d.baseModels().stream().map(RepoDocument.BaseModel::id).toList())
                .forEach(v -> facet(doc, Facet.BASE_MODEL, v));
        d.adapter().ifPresent(a -> {
            facet(doc, Facet.PEFT_TYPE, a.peftType());
            if (a.r() > 0) {
                facet(doc, Facet.RANK, Integer.toString(a.r()));
            }
        });
        facet(doc, Facet.VERIFICATION, d.verification());
    }

    private static void facet(Document doc, Facet facet, String value) {
        String v = keyword(value.replace('\u001f', ' ').strip());
        if (!v.isEmpty()) {
            doc.add(new SortedSetDocValuesFacetField(facet.dim(), v));
        }
    }

    /** Everything that names what a repository is, short of its card: searched as one text field. */
    private static String describingWords(RepoDocument d) {
        List<String> words = new ArrayList<>(d.tags());
        d.libraryName().ifPresent(words::add);
        d.pipelineTag().ifPresent(words::add);
        d.baseModels().forEach(b -> words.add(b.id()));
        d.adapter().ifPresent(a -> {
            words.add(a.peftType());
            words.addAll(a.targetModules());
        });
        return String.join("\n", words);
    }

    /** The lower-cased terms HF's {@code filter} may name for this document. */
    static Set<String> filterTerms(RepoDocument d) {
        Set<String> terms = new LinkedHashSet<>();
        d.tags().forEach(terms::add);
        d.libraryName().ifPresent(terms::add);
        d.pipelineTag().ifPresent(terms::add);
        d.license().ifPresent(l -> terms.add("license:" + l));
        d.datasets().forEach(ds -> terms.add("dataset:" + ds));
        for (String language : d.languages()) {
            terms.add(language);
            terms.add("language:" + language);
        }
        for (RepoDocument.BaseModel base : d.baseModels()) {
            terms.add("base_model:" + base.id());
        }
        d.adapter().ifPresent(a -> {
            terms.add("peft");
            terms.add(a.peftType());
        });
        if (d.id().type() == RepoType.DATASET) {
            for (String key : DATASET_TAG_KEYS) {
                Object value = d.cardData().get(key);
                List<?> values = value instanceof List<?> l ? l : value == null ? List.of() : List.of(value);
                values.forEach(v -> terms.add(key + ":" + v));
            }
        }
        Set<String> out = new LinkedHashSet<>();
        terms.forEach(t -> out.add(keyword(lower(t.strip()))));
        out.remove("");
        return out;
    }

    static String baseRevisionTerm(String baseModel, String revision) {
        return keyword(lower(baseModel) + "@" + revision);
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private static String keyword(String s) {
        return s.length() > MAX_KEYWORD ? s.substring(0, MAX_KEYWORD) : s;
    }

    private static List<String> distinct(List<String> values) {
        return values.stream().distinct().toList();
    }

    private static FieldType textType(IndexOptions options) {
        FieldType type = new FieldType(TextField.TYPE_NOT_STORED);
        type.setIndexOptions(options);
        type.freeze();
        return type;
    }

    private static FieldType cardFieldType() {
        FieldType type = new FieldType(TextField.TYPE_STORED);
        // offsets in the postings let the highlighter mark matches without re-analysing the card
        type.setIndexOptions(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS_AND_OFFSETS);
        type.freeze();
        return type;
    }

    private static byte[] toJson(RepoDocument d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", d.id().type().singular());
        m.put("owner", d.id().owner());
        m.put("name", d.id().name());
        m.put("private", d.isPrivate());
        m.put("gated", d.gated());
        m.put("downloads", d.downloads());
        m.put("likes", d.likes());
        // full precision, as [seconds, nanos]: the API derives the repository's _id from the exact
        // creation instant, and numbers read back faster than ISO text is parsed
        m.put("createdAt", List.of(d.createdAt().getEpochSecond(), d.createdAt().getNano()));
        m.put("lastModified", List.of(d.lastModified().getEpochSecond(), d.lastModified().getNano()));
        m.put("sha", d.sha());
        m.put("cardData", d.cardData());
        m.put("tags", d.tags());
        d.libraryName().ifPresent(v -> m.put("library", v));
        d.pipelineTag().ifPresent(v -> m.put("pipeline", v));
        d.license().ifPresent(v -> m.put("license", v));
        m.put("languages", d.languages());
        m.put("datasets", d.datasets());
        List<Map<String, Object>> bases = new ArrayList<>();
        for (RepoDocument.BaseModel b : d.baseModels()) {
            Map<String, Object> base = new LinkedHashMap<>();
            base.put("id", b.id());
            b.revision().ifPresent(r -> base.put("revision", r));
            bases.add(base);
        }
        m.put("baseModels", bases);
        d.adapter().ifPresent(a -> {
            Map<String, Object> adapter = new LinkedHashMap<>();
            adapter.put("peftType", a.peftType());
            adapter.put("baseModel", a.baseModel());
            a.baseRevision().ifPresent(r -> adapter.put("baseRevision", r));
            adapter.put("r", a.r());
            adapter.put("alpha", a.alpha());
            adapter.put("targetModules", a.targetModules());
            adapter.put("parameters", a.parameters());
            m.put("adapter", adapter);
        });
        m.put("verification", d.verification());
        try {
            return Json.mapper().writeValueAsBytes(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the search document of " + d.id(), e);
        }
    }

    /** The document as stored, without its card text (answers never carry whole cards). */
    static RepoDocument fromStored(BytesRef stored) {
        Map<String, Object> m;
        try {
            m = Json.mapper().readValue(stored.bytes, stored.offset, stored.length, new TypeReference<>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("the search index holds a document it cannot read", e);
        }
        RepoId id = new RepoId(HostedTypes.fromSingular(str(m, "type")), str(m, "owner"), str(m, "name"));
        List<RepoDocument.BaseModel> bases = new ArrayList<>();
        for (Map<String, Object> b : maps(m.get("baseModels"))) {
            bases.add(new RepoDocument.BaseModel(str(b, "id"), opt(b, "revision")));
        }
        Optional<AdapterSummary> adapter = Optional.ofNullable(m.get("adapter")).map(DocumentMapper::asMap)
                .map(a -> new AdapterSummary(str(a, "peftType"), str(a, "baseModel"), opt(a, "baseRevision"),
                        ((Number) a.get("r")).intValue(), ((Number) a.get("alpha")).doubleValue(),
                        strings(a.get("targetModules")), ((Number) a.get("parameters")).longValue()));
        return new RepoDocument(id, (Boolean) m.get("private"), str(m, "gated"), num(m, "downloads"),
                num(m, "likes"), instant(m.get("createdAt")), instant(m.get("lastModified")),
                str(m, "sha"), asMap(m.get("cardData")), "", strings(m.get("tags")), opt(m, "library"),
                opt(m, "pipeline"), opt(m, "license"), strings(m.get("languages")), strings(m.get("datasets")), bases,
                adapter, str(m, "verification"));
    }

    private static Instant instant(Object secondsAndNanos) {
        List<?> parts = (List<?>) secondsAndNanos;
        return Instant.ofEpochSecond(((Number) parts.get(0)).longValue(), ((Number) parts.get(1)).longValue());
    }

    private static String str(Map<String, Object> m, String key) {
        return (String) m.get(key);
    }

    private static Optional<String> opt(Map<String, Object> m, String key) {
        return Optional.ofNullable((String) m.get(key));
    }

    private static long num(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).longValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    private static List<Map<String, Object>> maps(Object o) {
        return ((List<?>) o).stream().map(DocumentMapper::asMap).toList();
    }

    private static List<String> strings(Object o) {
        return ((List<?>) o).stream().map(String::valueOf).toList();
    }
}
