package dev.quiver.server.search;

import static dev.quiver.server.search.SearchFixtures.card;
import static dev.quiver.server.search.SearchFixtures.enc;
import static dev.quiver.server.search.SearchFixtures.model;
import static dev.quiver.server.search.SearchFixtures.repo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quiver.server.TestHub;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Whatever a client puts in the query string is either answered or refused with a 400 that says why; never a 500. */
class SearchHostileInputIT {
    static TestHub hub;

    @BeforeAll
    static void seed() {
        hub = TestHub.start();
        repo(hub, model("hostile/one"), false, card("license: mit\n", "Ordinary card text."));
        SearchFixtures.await(() -> SearchFixtures.models(hub, "search=ordinary"), ids -> ids.size() == 1, 5000);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void malformedParametersAreRefusedWithA400ThatNamesTheProblem() {
        List<String> bad = List.of("limit=0", "limit=-5", "limit=abc", "limit=99999999999999999999", "sort=bogus",
                "sort=downloads%00", "search=" + "x".repeat(600), "search=" + "a+".repeat(40),
                "filter=" + "f".repeat(600), "filter=" + "a,".repeat(100), "cursor=%25%25%25", "cursor=bm90LWEtY3Vyc29y",
                "cursor=" + "A".repeat(700), "cursor=" + cursor("1|likes|12|model:a/b") + "&sort=downloads",
                "cursor=" + cursor("1|downloads|NaN|model:a/b") + "&sort=downloads",
                "cursor=" + cursor("1|downloads|1|model:../../etc") + "&sort=downloads",
                "cursor=" + cursor("1|relevance|2143289344|model:a/b") + "&search=x",
                "cursor=" + cursor("2|downloads|1|model:a/b") + "&sort=downloads");
        for (String q : bad) {
            HttpResponse<String> r = hub.get("/api/models?" + q);
            assertThat(r.statusCode()).as(q).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).as(q).contains("application/json");
            assertThat(r.body()).as(q).contains("\"error\"");
        }
        for (String q : List.of("type=bogus", "limit=0", "sort=nope")) {
            assertThat(hub.get("/api/quiver/search?" + q).statusCode()).as(q).isEqualTo(400);
        }
    }

    @Test
    void strangeButHarmlessInputIsAnsweredNormally() {
        List<String> odd = List.of("search=" + enc("\"unbalanced (query AND OR* ~ ^ [ ] { } \\ /"),
                "search=" + enc("*:*"), "search=" + enc("名前 テスト"), "search=" + enc("\uD83D\uDE00 emoji"),
                "search=" + enc("   "), "search=" + enc("-"), "search=" + enc("ordinary\u0000"),
                "filter=" + enc("\u001f"), "filter=" + enc("base_model:adapter:"), "author=" + enc("../x"),
                "pipeline_tag=" + enc("' OR 1=1 --"), "direction=1", "direction=-1", "gated=maybe",
                "expand=" + enc("__proto__"), "full=yes&cardData=0", "limit=1000", "limit=100000");
        for (String q : odd) {
            HttpResponse<String> r = hub.get("/api/models?" + q);
            assertThat(r.statusCode()).as(q).isEqualTo(200);
            assertThat(r.body()).as(q).startsWith("[");
        }
        assertThat(hub.get("/api/quiver/search?q=" + enc("((( ***")).statusCode()).isEqualTo(200);
        for (String v : List.of("\u001fmit", "m\u001fit", "\u001f")) {
            assertThat(hub.get("/api/quiver/search?license=" + enc(v)).statusCode()).as(v).isEqualTo(200);
        }
    }

    @Test
    void aStopWordAloneStillHasToMatchSomething() {
        assertThat(SearchFixtures.models(hub, "search=the")).isEmpty();
        assertThat(SearchFixtures.models(hub, "search=" + enc("the ordinary"))).containsExactly("hostile/one");
    }

    private static String cursor(String plain) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }
}
