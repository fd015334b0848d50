package dev.quiver.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.quiver.schema.json.Json;
import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.card.AdapterSummary;
import dev.quiver.server.repo.RepoId;
import dev.quiver.server.search.Facet;
import dev.quiver.server.search.RepoDocument;
import dev.quiver.server.search.SearchPage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The JSON shapes of search results: HF listing items, and Quiver's richer search hits. */
final class SearchJson {
    /** Keys {@code expand} may ask for beyond the default item (computed only when asked). */
    private static final Set<String> EXTRA_KEYS = Set.of("cardData");

    private SearchJson() {
    }

    /**
     * A listing item as the Hub writes it. With {@code expand}, only {@code _id}, {@code id} and the
     * expanded keys; unknown keys are left out rather than refused, since clients pass through
     * whatever extra fields their callers ask for.
     */
    static Map<String, Object> listingItem(RepoDocument d, boolean cardData, List<String> expand) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("_id", mongoStyleId(d.id(), d.createdAt()));
        m.put("id", d.id().id());
        if (d.id().type() == RepoType.MODEL) {
            m.put("modelId", d.id().id());
        }
        m.put("author", d.id().owner());
        m.put("sha", d.sha());
        m.put("private", d.isPrivate());
        m.put("gated", d.gated().equals("false") ? Boolean.FALSE : d.gated());
        m.put("disabled", false);
        m.put("downloads", d.downloads());
        m.put("likes", d.likes());
        m.put("trendingScore", d.downloads() + 10 * d.likes());
        m.put("tags", d.tags());
        d.pipelineTag().ifPresent(p -> m.put("pipeline_tag", p));
        d.libraryName().ifPresent(l -> m.put("library_name", l));
        m.put("createdAt", Dates.iso(d.createdAt()));
        m.put("lastModified", Dates.iso(d.lastModified()));
        boolean wantsCard = cardData || expand.contains("cardData");
        if (wantsCard && !d.cardData().isEmpty()) {
            m.put("cardData", d.cardData());
        }
        if (expand.isEmpty()) {
            return m;
        }
        Map<String, Object> only = new LinkedHashMap<>();
        only.put("_id", m.get("_id"));
        only.put("id", m.get("id"));
        for (String key : expand) {
            if (m.containsKey(key) && (!EXTRA_KEYS.contains(key) || wantsCard)) {
                only.put(key, m.get(key));
            }
        }
        return only;
    }

    /** A hit of Quiver's search: what a result list shows, with card snippets. */
    static Map<String, Object> hit(SearchPage.Hit hit) {
        RepoDocument d = hit.doc();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id().id());
        m.put("type", d.id().type().singular());
        m.put("author", d.id().owner());
        m.put("name", d.id().name());
        m.put("private", d.isPrivate());
        m.put("gated", d.gated().equals("false") ? Boolean.FALSE : d.gated());
        m.put("downloads", d.downloads());
        m.put("likes", d.likes());
        m.put("createdAt", Dates.iso(d.createdAt()));
        m.put("lastModified", Dates.iso(d.lastModified()));
        d.pipelineTag().ifPresent(p -> m.put("pipeline_tag", p));
        d.libraryName().ifPresent(l -> m.put("library_name", l));
        d.license().ifPresent(l -> m.put("license", l));
        m.put("tags", d.tags());
        m.put("baseModels", d.baseModels().stream().map(SearchJson::baseModel).toList());
        d.adapter().ifPresent(a -> m.put("adapter", adapter(a)));
        m.put("verification", d.verification());
        if (!Float.isNaN(hit.score())) {
            m.put("score", hit.score());
        }
        m.put("highlights", hit.highlights());
        return m;
    }

    /** {@code body} as JSON. */
    static byte[] bytes(Object body) {
        try {
            return Json.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> facets(Map<Facet, List<SearchPage.FacetCount>> facets) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Facet f : Facet.values()) {
            if (facets.containsKey(f)) {
                m.put(f.dim(), facets.get(f).stream().map(c -> Map.of("value", c.value(), "count", c.count()))
                        .toList());
            }
        }
        return m;
    }

    static Map<String, Object> baseModel(RepoDocument.BaseModel b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", b.id());
        b.revision().ifPresent(r -> m.put("revision", r));
        return m;
    }

    static Map<String, Object> adapter(AdapterSummary a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("peftType", a.peftType());
        m.put("baseModel", a.baseModel());
        a.baseRevision().ifPresent(r -> m.put("baseRevision", r));
        m.put("r", a.r());
        m.put("alpha", a.alpha());
        m.put("targetModules", a.targetModules());
        m.put("parameters", a.parameters());
        return m;
    }

    /**
     * The Hub's database id, derived from the repository's identity and creation instant so that a
     * listing and an info call agree.
     */
    static String mongoStyleId(RepoId id, Instant createdAt) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((id.type().name() + "/" + id.id() + "@"
                    + createdAt).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
