package dev.quiver.server.search;

import static dev.quiver.server.search.SearchFixtures.card;
import static dev.quiver.server.search.SearchFixtures.get;
import static dev.quiver.server.search.SearchFixtures.ids;
import static dev.quiver.server.search.SearchFixtures.json;
import static dev.quiver.server.search.SearchFixtures.model;
import static dev.quiver.server.search.SearchFixtures.repo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.server.TestHub;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Private repositories are found only by those who may read them: not in results, counts, facets or suggestions. */
class SearchAccessIT {
    static TestHub hub;
    static Optional<String> bob;
    static Optional<String> carol;
    static final Optional<String> ANONYMOUS = Optional.empty();

    @BeforeAll
    static void seed() {
        hub = TestHub.start();
        bob = Optional.of(SearchFixtures.userToken(hub, "bob"));
        carol = Optional.of(SearchFixtures.userToken(hub, "carol"));
        repo(hub, model("bob/open-lora"), false, card("license: mit\nlibrary_name: peft\nlanguage: en\n",
                "Public zebra classifier."));
        repo(hub, model("bob/hidden-lora"), true, card("license: gpl-3.0\nlibrary_name: jax\nlanguage: eu\n"
                + "base_model: bob/secret-base\n", "Private zebra classifier with the codeword xylophonist."));
        repo(hub, model("carol/notes"), false, card("license: mit\n", "Carol's zebra notes."));
        SearchFixtures.await(() -> ids(json(hub.get("/api/models?search=zebra"))).size(), n -> n == 3, 5000);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void theListingShowsPrivateReposOnlyToTheirOwnerAndAdmins() {
        assertThat(listing(ANONYMOUS, "search=zebra")).containsExactlyInAnyOrder("bob/open-lora", "carol/notes");
        assertThat(listing(carol, "search=zebra")).containsExactlyInAnyOrder("bob/open-lora", "carol/notes");
        assertThat(listing(bob, "search=zebra")).containsExactlyInAnyOrder("bob/open-lora", "bob/hidden-lora",
                "carol/notes");
        assertThat(listing(Optional.of(hub.token()), "search=zebra")).hasSize(3);
        for (String q : List.of("search=xylophonist", "author=bob&filter=license:gpl-3.0", "filter=jax",
                "search=bob/hidden-lora", "filter=base_model:bob/secret-base", "limit=1000")) {
            assertThat(listing(ANONYMOUS, q)).as(q).doesNotContain("bob/hidden-lora");
            assertThat(listing(carol, q)).as(q).doesNotContain("bob/hidden-lora");
        }
        JsonNode item = json(get(hub, "/api/models?search=hidden-lora", bob)).get(0);
        assertThat(item.path("private").asBoolean()).isTrue();
    }

    @Test
    void facetCountsAndTotalsLeaveOutWhatTheCallerMayNotSee() {
        JsonNode anon = json(get(hub, "/api/quiver/search?q=zebra", ANONYMOUS));
        assertThat(anon.path("total").asLong()).isEqualTo(2);
        assertThat(anon.path("facets").path("license").toString()).doesNotContain("gpl-3.0");
        assertThat(anon.path("facets").path("library").toString()).doesNotContain("jax");
        assertThat(anon.path("facets").path("language").toString()).doesNotContain("\"eu\"");
        assertThat(anon.path("facets").path("base_model").toString()).doesNotContain("secret-base");
        assertThat(count(anon, "author", "bob")).isEqualTo(1);
        JsonNode everything = json(get(hub, "/api/quiver/search", carol));
        assertThat(everything.toString()).doesNotContain("hidden-lora", "gpl-3.0", "secret-base");
        JsonNode owner = json(get(hub, "/api/quiver/search?q=zebra", bob));
        assertThat(owner.path("total").asLong()).isEqualTo(3);
        assertThat(count(owner, "author", "bob")).isEqualTo(2);
        assertThat(count(owner, "license", "gpl-3.0")).isEqualTo(1);
    }

    @Test
    void suggestionsNeverSpellOutWordsOnlyPrivateReposContain() {
        JsonNode anon = json(get(hub, "/api/quiver/search?q=xylophonistt", ANONYMOUS));
        assertThat(anon.path("total").asLong()).isZero();
        assertThat(anon.has("didYouMean")).isFalse();
        JsonNode owner = json(get(hub, "/api/quiver/search?q=xylophonistt", bob));
        assertThat(owner.path("didYouMean").asText()).isEqualTo("xylophonist");
    }

    @Test
    void adaptersOfAPrivateBaseAreNotFoundForOthers() {
        repo(hub, model("bob/private-base"), true, card("license: mit\n", "Base."));
        HttpResponse<String> r = get(hub, "/api/quiver/models/bob/private-base/adapters", carol);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("X-Error-Code")).contains("RepoNotFound");
        assertThat(get(hub, "/api/quiver/models/bob/private-base/adapters", bob).statusCode()).isEqualTo(200);
    }

    private static List<String> listing(Optional<String> token, String query) {
        return ids(json(get(hub, "/api/models?" + query, token)));
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
