package dev.quiver.server.search;

import static dev.quiver.server.search.SearchFixtures.adapter;
import static dev.quiver.server.search.SearchFixtures.card;
import static dev.quiver.server.search.SearchFixtures.json;
import static dev.quiver.server.search.SearchFixtures.model;
import static dev.quiver.server.search.SearchFixtures.models;
import static dev.quiver.server.search.SearchFixtures.repo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.TestHub;
import dev.quiver.server.repo.RepoId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /api/models} and {@code /api/datasets} with the Hub's parameters, shapes and filter forms. */
class SearchListingIT {
    static TestHub hub;

    @BeforeAll
    static void seed() {
        hub = TestHub.start();
        repo(hub, model("org/tiny-llama"), false, card("library_name: transformers\npipeline_tag: text-generation\n"
                + "license: apache-2.0\n", "A tiny Llama base model for tests."));
        repo(hub, model("acme/support-lora"), false, adapter("org/tiny-llama", "r1",
                "license: mit\ndatasets:\n- acme/support-qa\nlanguage:\n- es\n- en\n",
                "Asistente técnico para soporte al cliente. Answers customer support questions."));
        repo(hub, model("acme/sql-lora"), false, adapter("org/tiny-llama", "r2",
                "license: apache-2.0\ndatasets:\n- acme/sql\nlanguage: en\n",
                "Generates SQL queries from English questions."));
        repo(hub, model("beta/poetry-lora"), false, adapter("other/base-7b", "r9", "license: mit\nlanguage: fr\n",
                "Writes poems."));
        repo(hub, model("zed/llama"), false, card("license: other\n", "Notes."));
        repo(hub, model("acme/llama-notes"), false, card("license: other\n",
                "llama llama llama: everything about the llama, the llama and more llama."));
        repo(hub, RepoId.of(RepoType.DATASET, "acme/support-qa"), false, card("license: cc-by-4.0\nlanguage:\n- es\n"
                + "task_categories:\n- question-answering\n", "Preguntas y respuestas de soporte técnico."));
        // events are indexed in order: once the last commit is searchable, so is everything before it
        SearchFixtures.await(() -> json(hub.get("/api/datasets?filter=task_categories:question-answering")).size(),
                n -> n == 1, 10_000);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void itemsHaveTheFieldsTheHfClientsReadWithIsoDatesAndTheSameIdAsRepoInfo() {
        JsonNode item = json(hub.get("/api/models?search=acme/support-lora")).get(0);
        assertThat(item.path("id").asText()).isEqualTo("acme/support-lora");
        for (String key : List.of("_id", "id", "private", "downloads", "likes", "gated", "lastModified",
                "pipeline_tag", "createdAt", "tags", "library_name", "sha", "author")) {
            assertThat(item.has(key)).as(key).isTrue();
        }
        assertThat(item.path("lastModified").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(item.path("createdAt").asText()).endsWith("Z");
        assertThat(item.path("gated").asBoolean(true)).isFalse();
        assertThat(item.path("private").asBoolean(true)).isFalse();
        assertThat(item.path("pipeline_tag").asText()).isEqualTo("text-generation");
        assertThat(item.path("_id").asText()).matches("[0-9a-f]{24}");
        JsonNode info = json(hub.get("/api/models/acme/support-lora"));
        assertThat(item.path("_id").asText()).isEqualTo(info.path("_id").asText());
        assertThat(item.path("sha").asText()).isEqualTo(info.path("sha").asText());
        assertThat(item.has("cardData")).isFalse();
    }

    @Test
    void everyFilterFormOfTheHubSelectsWhatItNames() {
        Map<String, List<String>> cases = Map.ofEntries(
                Map.entry("filter=peft", List.of("acme/sql-lora", "acme/support-lora", "beta/poetry-lora")),
                Map.entry("filter=license:mit", List.of("acme/support-lora", "beta/poetry-lora")),
                Map.entry("filter=License:MIT", List.of("acme/support-lora", "beta/poetry-lora")),
                Map.entry("filter=dataset:acme/support-qa", List.of("acme/support-lora")),
                Map.entry("filter=base_model:adapter:org/tiny-llama", List.of("acme/sql-lora", "acme/support-lora")),
                Map.entry("filter=base_model:org/tiny-llama", List.of("acme/sql-lora", "acme/support-lora")),
                Map.entry("filter=language:es", List.of("acme/support-lora")),
                Map.entry("filter=es", List.of("acme/support-lora")),
                Map.entry("filter=peft&filter=language:en", List.of("acme/sql-lora", "acme/support-lora")),
                Map.entry("filter=peft,license:mit", List.of("acme/support-lora", "beta/poetry-lora")),
                Map.entry("filter=lora&author=BETA", List.of("beta/poetry-lora")),
                Map.entry("filter=transformers", List.of("acme/sql-lora", "acme/support-lora", "beta/poetry-lora",
                        "org/tiny-llama")),
                Map.entry("pipeline_tag=text-generation&filter=license:apache-2.0",
                        List.of("acme/sql-lora", "org/tiny-llama")),
                Map.entry("author=acme", List.of("acme/llama-notes", "acme/sql-lora", "acme/support-lora")),
                Map.entry("filter=no-such-tag", List.of()),
                Map.entry("filter=peft&filter=no-such-tag", List.of()));
        cases.forEach((query, expected) -> {
            List<String> found = new ArrayList<>(models(hub, query));
            assertThat(found).as(query).containsExactlyInAnyOrderElementsOf(expected);
        });
    }

    @Test
    void datasetsAreListedSeparatelyWithTheirOwnTagForms() {
        assertThat(SearchFixtures.ids(json(hub.get("/api/datasets?filter=task_categories:question-answering"))))
                .containsExactly("acme/support-qa");
        assertThat(SearchFixtures.ids(json(hub.get("/api/datasets?filter=language:es&filter=license:cc-by-4.0"))))
                .containsExactly("acme/support-qa");
        assertThat(models(hub, "search=support-qa")).doesNotContain("acme/support-qa");
        JsonNode item = json(hub.get("/api/datasets?search=soporte")).get(0);
        assertThat(item.path("id").asText()).isEqualTo("acme/support-qa");
        assertThat(item.has("modelId")).isFalse();
    }

    @Test
    void exactNamesComeFirstThenNameMatchesThenCardMatches() {
        assertThat(models(hub, "search=llama").getFirst()).isEqualTo("zed/llama");
        assertThat(models(hub, "search=org/tiny-llama").getFirst()).isEqualTo("org/tiny-llama");
        assertThat(models(hub, "search=sql").getFirst()).isEqualTo("acme/sql-lora");
        assertThat(models(hub, "search=llama")).contains("org/tiny-llama", "acme/llama-notes");
        // a word in the name beats the same word in a card
        assertThat(models(hub, "search=notes")).containsExactly("acme/llama-notes", "zed/llama");
        assertThat(models(hub, "search=poems")).containsExactly("beta/poetry-lora");
    }

    @Test
    void sortOrdersAreDescendingAndDirectionMinusOneIsAccepted() {
        List<String> created = models(hub, "sort=createdAt&direction=-1&limit=100");
        assertThat(created.getFirst()).isEqualTo("acme/llama-notes");
        assertThat(created.getLast()).isEqualTo("org/tiny-llama");
        assertThat(models(hub, "sort=lastModified&limit=100").getFirst()).isEqualTo("acme/llama-notes");
        for (String sort : List.of("downloads", "likes", "trendingScore")) {
            assertThat(models(hub, "sort=" + sort)).as(sort).hasSize(6);
        }
    }

    @Test
    void expandInEitherSpellingReturnsOnlyIdAndTheExpandedKeys() {
        JsonNode item = json(hub.get("/api/models?search=sql-lora&expand=downloads&expand%5B%5D=likes"
                + "&expand=inferenceProviderMapping")).get(0);
        List<String> keys = new ArrayList<>();
        item.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactlyInAnyOrder("_id", "id", "downloads", "likes");
    }

    @Test
    void cardDataAndFullAddTheFrontMatter() {
        for (String flag : List.of("cardData=true", "full=True", "cardData=1")) {
            JsonNode item = json(hub.get("/api/models?search=acme/sql-lora&" + flag)).get(0);
            assertThat(item.path("cardData").path("base_model").asText()).as(flag).isEqualTo("org/tiny-llama");
        }
        JsonNode expanded = json(hub.get("/api/models?search=acme/sql-lora&expand=cardData")).get(0);
        assertThat(expanded.path("cardData").path("license").asText()).isEqualTo("apache-2.0");
    }

    @Test
    void accentsAndCaseAreFoldedAndSpanishIsStemmed() {
        for (String q : List.of("tecnico", "TÉCNICO", "técnicos", "Asistentes", "soporte")) {
            assertThat(models(hub, "search=" + SearchFixtures.enc(q))).as(q).contains("acme/support-lora");
        }
        assertThat(models(hub, "search=" + SearchFixtures.enc("questions generating"))).contains("acme/sql-lora");
    }
}
