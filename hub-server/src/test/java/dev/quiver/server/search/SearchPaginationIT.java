package dev.quiver.server.search;

import static dev.quiver.server.search.SearchFixtures.card;
import static dev.quiver.server.search.SearchFixtures.json;
import static dev.quiver.server.search.SearchFixtures.model;
import static dev.quiver.server.search.SearchFixtures.repo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.server.TestHub;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Cursor pagination over many pages: absolute {@code Link} URLs carrying every parameter, no repeats, no gaps. */
class SearchPaginationIT {
    /** The regex {@code @huggingface/hub} applies to {@code Link} ({@code utils/parseLinkHeader.ts}). */
    private static final Pattern JS_LINK = Pattern.compile("<(https?://[^>]+)>;\\s+rel=\"([^\"]+)\"");
    private static final int REPOS = 57;
    static TestHub hub;

    @BeforeAll
    static void seed() {
        hub = TestHub.start();
        for (int i = 0; i < REPOS; i++) {
            String license = i % 3 == 0 ? "mit" : "apache-2.0";
            repo(hub, model("pager/adapter-" + i), false, card("license: " + license + "\ntags:\n- paged\n",
                    "Paged adapter number " + i + (i % 2 == 0 ? " for support tickets." : " for invoices.")));
        }
        SearchFixtures.await(() -> SearchFixtures.models(hub, "filter=paged&limit=1000").size(), n -> n == REPOS,
                20_000);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void followingNextLinksVisitsEveryMatchExactlyOnceInEverySortOrder() {
        for (String sort : List.of("createdAt", "lastModified", "downloads", "likes", "trendingScore")) {
            List<String> all = walk("/api/models?filter=paged&sort=" + sort + "&direction=-1&limit=5");
            assertThat(all).as(sort).hasSize(REPOS).doesNotHaveDuplicates();
        }
        List<String> mit = walk("/api/models?filter=paged&filter=license:mit&limit=4");
        assertThat(mit).hasSize(19).doesNotHaveDuplicates().allMatch(id -> id.startsWith("pager/adapter-"));
    }

    @Test
    void relevancePagesOfASearchAreCompleteToo() {
        List<String> support = walk("/api/models?search=support+tickets&limit=6");
        assertThat(support).hasSize(29).doesNotHaveDuplicates();
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < REPOS; i += 2) {
            expected.add("pager/adapter-" + i);
        }
        assertThat(new HashSet<>(support)).isEqualTo(expected);
    }

    @Test
    void theNextLinkIsAbsoluteMatchesTheJsClientsRegexAndCarriesEveryParameter() {
        HttpResponse<String> first = hub.get("/api/models?filter=paged&filter=license%3Amit&sort=likes&limit=3"
                + "&expand=downloads&search=adapter");
        String link = first.headers().firstValue("Link").orElseThrow();
        Matcher m = JS_LINK.matcher(link);
        assertThat(m.find()).as(link).isTrue();
        assertThat(m.group(2)).isEqualTo("next");
        String next = m.group(1);
        assertThat(next).startsWith(hub.url() + "/api/models?");
        assertThat(next).contains("filter=paged", "filter=license%3Amit", "sort=likes", "limit=3", "expand=downloads",
                "search=adapter", "cursor=");
        JsonNode second = json(SearchFixtures.getUrl(hub, next, Optional.of(hub.token())));
        assertThat(second).hasSize(3);
        assertThat(second.get(0).has("lastModified")).isFalse(); // expand carried over
    }

    @Test
    void theLastPageHasNoNextLink() {
        HttpResponse<String> all = hub.get("/api/models?filter=paged&limit=1000");
        assertThat(json(all)).hasSize(REPOS);
        assertThat(all.headers().firstValue("Link")).isEmpty();
        HttpResponse<String> exact = hub.get("/api/models?filter=paged&filter=license:mit&limit=19");
        assertThat(exact.headers().firstValue("Link")).isEmpty();
    }

    /** Follows {@code Link} from {@code path} to the end, as the HF clients do, collecting ids. */
    private static List<String> walk(String path) {
        List<String> ids = new ArrayList<>();
        String url = hub.url() + path;
        int pages = 0;
        while (url != null) {
            HttpResponse<String> r = SearchFixtures.getUrl(hub, url, Optional.of(hub.token()));
            ids.addAll(SearchFixtures.ids(json(r)));
            Optional<String> link = r.headers().firstValue("Link");
            url = link.map(l -> {
                Matcher m = JS_LINK.matcher(l);
                return m.find() ? m.group(1) : null;
            }).orElse(null);
            assertThat(++pages).isLessThan(200);
        }
        return ids;
    }
}
