package dev.quiver.server.search;

import static dev.quiver.server.search.SearchFixtures.adapter;
import static dev.quiver.server.search.SearchFixtures.card;
import static dev.quiver.server.search.SearchFixtures.enc;
import static dev.quiver.server.search.SearchFixtures.ids;
import static dev.quiver.server.search.SearchFixtures.json;
import static dev.quiver.server.search.SearchFixtures.model;
import static dev.quiver.server.search.SearchFixtures.repo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.TestHub;
import dev.quiver.server.repo.RepoId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /api/quiver/search} (facets, highlights, prefixes, did-you-mean) and the adapters of a base model. */
class QuiverSearchIT {
    static TestHub hub;

    @BeforeAll
    static void seed() {
        hub = TestHub.start();
        repo(hub, model("org/tiny-llama"), false, card("library_name: transformers\nlicense: apache-2.0\n",
                "A tiny Llama base model."));
        repo(hub, model("acme/support-lora"), false, adapter("org/tiny-llama", "1111111111111111111111111111111111111111",
                "license: mit\nlanguage:\n- es\n", "Asistente técnico para el soporte de facturación electrónica."));
        repo(hub, model("acme/sql-lora"), false, adapter("org/tiny-llama", "2222222222222222222222222222222222222222",
                "license: apache-2.0\nlanguage: en\n", "Turns questions into SQL for the billing warehouse."));
        repo(hub, model("beta/poetry-lora"), false, adapter("other/base-7b", "main", "license: mit\n",
                "Writes poems about billing."));
        Map<String, String> legacy = new LinkedHashMap<>(adapter("org/tiny-llama", "1111111111111111111111111111111111111111",
                "license: mit\n", "Old billing helper."));
        repo(hub, model("gamma/legacy-lora"), false, legacy);
        repo(hub, RepoId.of(RepoType.DATASET, "acme/billing-qa"), false, card("license: mit\nlanguage: es\n",
                "Preguntas de facturación (billing)."));
        // events are indexed in order: once the last commit is searchable, so is everything before it
        // (by a word only its card has: the repository's name alone matches "billing" as soon as it exists)
        SearchFixtures.await(() -> json(hub.get("/api/quiver/search?q=preguntas")).path("total").asLong(), n -> n == 1,
                5000);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void everyFacetIsCountedAndAChosenFacetKeepsItsOtherValuesVisible() {
        JsonNode all = json(hub.get("/api/quiver/search?q=billing"));
        assertThat(all.path("total").asLong()).isEqualTo(4);
        for (Facet f : Facet.values()) {
            assertThat(all.path("facets").has(f.dim())).as(f.dim()).isTrue();
        }
        assertThat(count(all, "type", "model")).isEqualTo(3);
        assertThat(count(all, "type", "dataset")).isEqualTo(1);
        assertThat(count(all, "license", "mit")).as(all.path("facets").toString()).isEqualTo(3);
        assertThat(count(all, "peft_type", "LORA")).isEqualTo(3);
        assertThat(count(all, "verification", "unverified")).isEqualTo(4);
        JsonNode mit = json(hub.get("/api/quiver/search?q=billing&license=mit"));
        assertThat(mit.path("total").asLong()).isEqualTo(3);
        // drill sideways: the license facet still shows apache-2.0, with the count it would have
        assertThat(count(mit, "license", "apache-2.0")).isEqualTo(1);
        assertThat(count(mit, "type", "model")).isEqualTo(2);
        JsonNode either = json(hub.get("/api/quiver/search?q=billing&license=mit&license=apache-2.0&type=model"));
        assertThat(ids(either.path("items"))).containsExactlyInAnyOrder("acme/sql-lora", "beta/poetry-lora",
                "gamma/legacy-lora");
        assertThat(ids(json(hub.get("/api/quiver/search?type=dataset")).path("items")))
                .containsExactly("acme/billing-qa");
    }

    @Test
    void hitsCarryAdapterFactsAndHighlightedEscapedSnippets() {
        JsonNode hit = json(hub.get("/api/quiver/search?q=" + enc("facturacion tecnico"))).path("items").get(0);
        assertThat(hit.path("id").asText()).isEqualTo("acme/support-lora");
        assertThat(hit.path("highlights").get(0).asText()).contains("<mark>técnico</mark>", "<mark>facturación</mark>");
        assertThat(hit.path("adapter").path("r").asInt()).isEqualTo(8);
        assertThat(hit.path("adapter").path("targetModules").toString()).contains("q_proj", "v_proj");
        assertThat(hit.path("baseModels").get(0).path("revision").asText()).startsWith("1111");
        assertThat(hit.path("verification").asText()).isEqualTo("unverified");
        repo(hub, model("evil/markup"), false, card("license: mit\n", "<script>alert(1)</script> marmalade"));
        SearchFixtures.await(() -> json(hub.get("/api/quiver/search?q=marmalade")).path("total").asLong(),
                n -> n == 1, 10_000);
        String snippet = json(hub.get("/api/quiver/search?q=marmalade")).path("items").get(0).path("highlights")
                .get(0).asText();
        assertThat(snippet).doesNotContain("<script>").contains("&lt;script&gt;", "<mark>marmalade</mark>");
    }

    @Test
    void aTypedPrefixOfANameFindsIt() {
        assertThat(ids(json(hub.get("/api/quiver/search?q=poet")).path("items"))).containsExactly("beta/poetry-lora");
        assertThat(ids(json(hub.get("/api/quiver/search?q=tiny-lla")).path("items")).getFirst())
                .isEqualTo("org/tiny-llama");
        assertThat(ids(json(hub.get("/api/models?search=legac")))).containsExactly("gamma/legacy-lora");
    }

    @Test
    void aMissOffersASpellingThatFindsSomething() {
        JsonNode miss = json(hub.get("/api/quiver/search?q=" + enc("biling warehouse")));
        assertThat(miss.path("total").asLong()).isZero();
        assertThat(miss.path("didYouMean").asText()).isEqualTo("billing warehouse");
        JsonNode hopeless = json(hub.get("/api/quiver/search?q=qqqqzzzz"));
        assertThat(hopeless.has("didYouMean")).isFalse();
        assertThat(json(hub.get("/api/quiver/search?q=billing")).has("didYouMean")).isFalse();
    }

    @Test
    void theAdaptersOfABaseModelNameTheRevisionsTheyWereMadeFor() {
        JsonNode page = json(hub.get("/api/quiver/models/org/tiny-llama/adapters"));
        assertThat(page.path("baseModel").asText()).isEqualTo("org/tiny-llama");
        assertThat(ids(page.path("items"))).containsExactlyInAnyOrder("acme/support-lora", "acme/sql-lora",
                "gamma/legacy-lora");
        for (JsonNode item : page.path("items")) {
            assertThat(item.path("baseRevision").asText()).hasSize(40);
            assertThat(item.path("verification").asText()).isEqualTo("unverified");
        }
        JsonNode pinned = json(hub.get("/api/quiver/models/org/tiny-llama/adapters?revision="
                + "1111111111111111111111111111111111111111"));
        assertThat(ids(pinned.path("items"))).containsExactlyInAnyOrder("acme/support-lora", "gamma/legacy-lora");
        assertThat(ids(json(hub.get("/api/quiver/models/other/base-7b/adapters")).path("items")))
                .containsExactly("beta/poetry-lora");
        assertThat(json(hub.get("/api/quiver/models/nobody/nothing/adapters")).path("items")).isEmpty();
        assertThat(ids(json(hub.get("/api/quiver/models/ORG/Tiny-Llama/adapters")).path("items"))).hasSize(3);
    }

    private static long count(JsonNode page, String facet, String value) {
        for (JsonNode c : page.path("facets").path(facet)) {
            if (c.path("value").asText().equals(value)) {
                return c.path("count").asLong();
            }
        }
        return 0;
    }
}
