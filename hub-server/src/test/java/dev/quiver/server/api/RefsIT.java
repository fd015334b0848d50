package dev.quiver.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.schema.json.Json;
import dev.quiver.server.TestHub;
import dev.quiver.server.db.RepoEvent;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RefsIT {
    static TestHub hub;
    static final List<String> commits = new ArrayList<>();
    static final int HISTORY = 123;

    @BeforeAll
    static void start() {
        hub = TestHub.start();
        hub.createRepo("model", "acme/refs");
        for (int i = 0; i < HISTORY; i++) {
            commits.add(RepoContent.in(hub, "acme/refs").file("n.txt", "n" + i).commit("main", "commit <" + i + ">"));
        }
        RepoContent.in(hub, "acme/refs").ref("refs/pr/1", commits.get(5));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return Json.mapper().readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(r.body(), e);
        }
    }

    static HttpResponse<String> send(String method, String path, String body) {
        return hub.send(hub.request(path).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void refsListBranchesConvertsTagsAndPullRequestsOnRequest() {
        JsonNode refs = json(hub.get("/api/models/acme/refs/refs"));
        assertThat(refs.path("converts").isArray()).isTrue();
        assertThat(refs.path("tags").isArray()).isTrue();
        assertThat(refs.has("pullRequests")).isFalse();
        JsonNode main = null;
        for (JsonNode b : refs.path("branches")) {
            main = b.path("name").asText().equals("main") ? b : main;
        }
        assertThat(main).isNotNull();
        assertThat(main.path("name").asText()).isEqualTo("main");
        assertThat(main.path("ref").asText()).isEqualTo("refs/heads/main");
        assertThat(main.path("targetCommit").asText()).isEqualTo(commits.getLast());
        JsonNode withPrs = json(hub.get("/api/models/acme/refs/refs?include_prs=1"));
        assertThat(withPrs.path("pullRequests").get(0).path("ref").asText()).isEqualTo("refs/pr/1");
        assertThat(withPrs.path("pullRequests").get(0).path("targetCommit").asText()).isEqualTo(commits.get(5));
    }

    @Test
    void commitsPageThroughTheWholeHistoryWithTotalCountAndNoGapsOrDuplicates() {
        List<String> seen = new ArrayList<>();
        String url = hub.url() + "/api/models/acme/refs/commits/main?limit=10";
        while (url != null) {
            HttpResponse<String> r = hub.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + hub.token()).build());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Total-Count")).contains(Integer.toString(HISTORY + 1));
            for (JsonNode c : json(r)) {
                seen.add(c.path("id").asText());
                assertThat(c.path("authors").get(0).path("user").asText()).isNotEmpty();
                assertThat(c.path("authors").get(0).has("avatar")).isTrue();
                assertThat(c.path("date").asText()).endsWith("Z");
            }
            url = r.headers().firstValue("Link").map(l -> {
                Matcher m = TreeIT.JS_LINK.matcher(l);
                assertThat(m.find()).isTrue();
                assertThat(m.group(1)).contains("limit=10");
                return m.group(1);
            }).orElse(null);
        }
        List<String> expected = new ArrayList<>(commits.reversed());
        assertThat(seen.subList(0, HISTORY)).isEqualTo(expected);
        assertThat(seen).hasSize(HISTORY + 1).doesNotHaveDuplicates();
    }

    @Test
    void commitsOfAPullRequestRawOrEncodedAndFormattedOnRequest() {
        for (String rev : new String[] {"refs/pr/1", "refs%2Fpr%2F1"}) {
            HttpResponse<String> r = hub.get("/api/models/acme/refs/commits/" + rev);
            assertThat(r.statusCode()).as(rev).isEqualTo(200);
            assertThat(json(r).get(0).path("id").asText()).isEqualTo(commits.get(5));
            assertThat(r.headers().firstValue("X-Total-Count")).contains("7");
        }
        JsonNode formatted = json(hub.get("/api/models/acme/refs/commits/main?expand%5B%5D=formatted")).get(0);
        assertThat(formatted.path("title").asText()).isEqualTo("commit <" + (HISTORY - 1) + ">");
        assertThat(formatted.path("formatted").path("title").asText()).isEqualTo("commit &lt;" + (HISTORY - 1) + "&gt;");
        assertThat(hub.get("/api/models/acme/refs/commits/nope").headers().firstValue("X-Error-Code"))
                .contains("RevisionNotFound");
        assertThat(hub.get("/api/models/acme/refs/commits/main?p=-1").statusCode()).isEqualTo(400);
    }

    @Test
    void branchesAreCreatedOnceDeletedAndEveryChangeIsAnOutboxEvent() {
        long before = refEvents();
        HttpResponse<String> created = send("POST", "/api/models/acme/refs/branch/dev%2Fone",
                "{\"startingPoint\":\"" + commits.get(3) + "\"}");
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(hub.get("/api/models/acme/refs/commits/dev%2Fone").headers().firstValue("X-Total-Count"))
                .contains("5");
        HttpResponse<String> again = send("POST", "/api/models/acme/refs/branch/dev%2Fone", "{}");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(send("POST", "/api/models/acme/refs/branch/dev%2Fone", "{\"overwrite\":true}").statusCode())
                .isEqualTo(200);
        assertThat(json(hub.get("/api/models/acme/refs/commits/dev%2Fone?limit=1")).get(0).path("id").asText())
                .isEqualTo(commits.getLast());
        HttpResponse<String> empty = send("POST", "/api/models/acme/refs/branch/blank", "{\"emptyBranch\":true}");
        assertThat(empty.statusCode()).isEqualTo(200);
        JsonNode tree = json(hub.get("/api/models/acme/refs/tree/blank"));
        assertThat(tree).isEmpty();
        assertThat(send("DELETE", "/api/models/acme/refs/branch/dev%2Fone", "").statusCode()).isEqualTo(200);
        assertThat(send("DELETE", "/api/models/acme/refs/branch/dev%2Fone", "").statusCode()).isEqualTo(404);
        assertThat(send("DELETE", "/api/models/acme/refs/branch/main", "").statusCode()).isEqualTo(403);
        assertThat(refEvents() - before).isEqualTo(4);
        for (String bad : new String[] {"a..b", "refs%2Fheads%2Fx", "x.lock", "%2Fx", "a%20b", "HEAD"}) {
            assertThat(send("POST", "/api/models/acme/refs/branch/" + bad, "{}").statusCode()).as(bad).isEqualTo(400);
        }
        assertThat(send("POST", "/api/models/acme/refs/branch/x", "{\"startingPoint\":\"nope\"}").statusCode())
                .isEqualTo(404);
    }

    @Test
    void tagsAreCreatedFromARevisionAndDeleted() {
        assertThat(send("POST", "/api/models/acme/refs/tag/" + commits.get(1), "{\"tag\":\"v1\"}").statusCode())
                .isEqualTo(200);
        assertThat(send("POST", "/api/models/acme/refs/tag/main", "{\"tag\":\"v2\",\"message\":\"release\"}")
                .statusCode()).isEqualTo(200);
        assertThat(send("POST", "/api/models/acme/refs/tag/main", "{\"tag\":\"v1\"}").statusCode()).isEqualTo(409);
        JsonNode tags = json(hub.get("/api/models/acme/refs/refs")).path("tags");
        List<String> targets = new ArrayList<>();
        tags.forEach(t -> targets.add(t.path("name").asText() + "=" + t.path("targetCommit").asText()));
        assertThat(targets).containsExactlyInAnyOrder("v1=" + commits.get(1), "v2=" + commits.getLast());
        assertThat(hub.get("/acme/refs/resolve/v2/n.txt").body()).isEqualTo("n" + (HISTORY - 1));
        assertThat(send("DELETE", "/api/models/acme/refs/tag/v1", "").statusCode()).isEqualTo(200);
        assertThat(send("DELETE", "/api/models/acme/refs/tag/v1", "").statusCode()).isEqualTo(404);
        assertThat(send("POST", "/api/models/acme/refs/tag/main", "{}").statusCode()).isEqualTo(400);
    }

    @Test
    void writesNeedWritePermission() throws Exception {
        HttpResponse<String> anon = hub.http().send(HttpRequest.newBuilder(URI.create(hub.url()
                + "/api/models/acme/refs/branch/anon")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anon.statusCode()).isEqualTo(401);
        String bob = OtherUser.token(hub, "bob-refs");
        HttpResponse<String> other = hub.http().send(HttpRequest.newBuilder(URI.create(hub.url()
                + "/api/models/acme/refs/tag/main")).header("Authorization", "Bearer " + bob)
                .POST(HttpRequest.BodyPublishers.ofString("{\"tag\":\"bob\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(json(hub.get("/api/models/acme/refs/refs")).path("tags").toString()).doesNotContain("bob");
    }

    static long refEvents() {
        return hub.hub().outbox().after(0, 1_000_000).stream().filter(e -> e.kind() == RepoEvent.Kind.REF_UPDATED).count();
    }
}
