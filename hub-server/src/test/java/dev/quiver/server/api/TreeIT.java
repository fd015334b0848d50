package dev.quiver.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.schema.json.Json;
import dev.quiver.server.TestHub;
import java.net.URI;
import java.net.http.HttpRequest;
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

class TreeIT {
    /** The regex the JS client parses Link headers with. */
    static final Pattern JS_LINK = Pattern.compile("<(https?://[^>]+)>;\\s+rel=\"([^\"]+)\"");
    static TestHub hub;
    static String sha;
    static String prSha;
    static final int MANY = 1234; // more than one default page of 1000
    static final byte[] LFS = "large file content".repeat(100).getBytes();

    @BeforeAll
    static void start() {
        hub = TestHub.start();
        hub.createRepo("model", "acme/tree");
        RepoContent c = RepoContent.in(hub, "acme/tree");
        for (int i = 0; i < MANY; i++) {
            c.file(String.format("many/f%04d.txt", i), "file " + i);
        }
        prSha = c.file("README.md", "hi").file("a/b/c.txt", "deep").lfs("a/model.bin", LFS).commit();
        sha = RepoContent.in(hub, "acme/tree").file("later.txt", "later").commit();
        RepoContent.in(hub, "acme/tree").ref("refs/pr/1", prSha);
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

    /** Follows Link headers like the clients do and returns every entry's path, failing on a bad link. */
    static List<JsonNode> all(String first) {
        List<JsonNode> entries = new ArrayList<>();
        String url = hub.url() + first;
        int pages = 0;
        while (url != null) {
            HttpResponse<String> r = hub.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + hub.token()).build());
            assertThat(r.statusCode()).as(url).isEqualTo(200);
            json(r).forEach(entries::add);
            Optional<String> link = r.headers().firstValue("Link");
            url = null;
            if (link.isPresent()) {
                Matcher m = JS_LINK.matcher(link.get());
                assertThat(m.find()).as(link.get()).isTrue();
                assertThat(m.group(2)).isEqualTo("next");
                url = m.group(1);
            }
            assertThat(++pages).isLessThan(100);
        }
        return entries;
    }

    static List<String> paths(List<JsonNode> entries) {
        List<String> out = new ArrayList<>();
        entries.forEach(e -> out.add(e.path("path").asText()));
        return out;
    }

    @Test
    void aRecursiveListingPagesThroughEveryEntryOnceWithDirectories() {
        List<JsonNode> entries = all("/api/models/acme/tree/tree/main?recursive=true&expand=false");
        List<String> paths = paths(entries);
        assertThat(paths).doesNotHaveDuplicates();
        assertThat(paths).hasSize(MANY + 8);
        assertThat(paths).contains("many", "a", "a/b", "a/b/c.txt", "a/model.bin", ".gitattributes", "README.md",
                "later.txt", "many/f0000.txt", "many/f" + (MANY - 1) + ".txt");
        for (JsonNode e : entries) {
            assertThat(e.path("type").asText()).isIn("file", "directory");
            assertThat(e.has("oid") && e.has("size") && e.has("path")).isTrue();
            assertThat(e.has("xetHash")).isFalse();
            assertThat(e.has("lastCommit")).isFalse();
            assertThat(e.has("securityFileStatus")).isFalse();
            if (e.path("type").asText().equals("directory")) {
                assertThat(e.path("size").asLong()).isZero();
            }
        }
    }

    @Test
    void lfsEntriesCarryTheRealSizeAndAnLfsObjectWithOid() {
        JsonNode model = all("/api/models/acme/tree/tree/main/a").stream()
                .filter(e -> e.path("path").asText().equals("a/model.bin")).findFirst().orElseThrow();
        assertThat(model.path("size").asLong()).isEqualTo(LFS.length);
        assertThat(model.path("oid").asText()).matches("[0-9a-f]{40}");
        assertThat(model.path("lfs").path("oid").asText()).isEqualTo(RepoContent.sha256(LFS));
        assertThat(model.path("lfs").path("size").asLong()).isEqualTo(LFS.length);
        assertThat(model.path("lfs").path("pointerSize").asLong()).isPositive();
        assertThat(paths(all("/api/models/acme/tree/tree/main/a"))).containsExactly("a/b", "a/model.bin");
    }

    @Test
    void theNextLinkKeepsEveryParameterAndExpandAddsLastCommitWithSmallerPages() {
        HttpResponse<String> first = hub.get("/api/models/acme/tree/tree/main/many?expand=true&recursive=1");
        assertThat(json(first)).hasSize(50);
        String link = first.headers().firstValue("Link").orElseThrow();
        assertThat(link).startsWith("<" + hub.url() + "/api/models/acme/tree/tree/main/many?")
                .contains("expand=true", "recursive=1", "cursor=");
        JsonNode entry = json(first).get(0);
        assertThat(entry.path("lastCommit").path("id").asText()).isEqualTo(prSha);
        assertThat(entry.path("lastCommit").path("title").asText()).isEqualTo("test content");
        assertThat(entry.path("lastCommit").path("date").asText()).endsWith("Z");
        List<String> viaLimit = paths(all("/api/models/acme/tree/tree/main/many?limit=100"));
        assertThat(viaLimit).hasSize(MANY).doesNotHaveDuplicates();
        assertThat(viaLimit).isSorted();
    }

    @Test
    void revisionsAndPathsArriveEncodedOrRaw() {
        Set<String> encoded = new HashSet<>(paths(all("/api/models/acme/tree/tree/refs%2Fpr%2F1/a%2Fb")));
        Set<String> raw = new HashSet<>(paths(all("/api/models/acme/tree/tree/refs/pr/1/a/b")));
        assertThat(encoded).containsExactly("a/b/c.txt").isEqualTo(raw);
        assertThat(paths(all("/api/models/acme/tree/tree/refs/pr/1"))).doesNotContain("later.txt");
        assertThat(paths(all("/api/models/acme/tree/tree/" + sha.substring(0, 8)))).contains("later.txt");
    }

    @Test
    void missingPathsAndRevisionsAndHostileInputAnswerWithClear4xx() {
        HttpResponse<String> missing = hub.get("/api/models/acme/tree/tree/main/nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("X-Error-Code")).contains("EntryNotFound");
        assertThat(missing.headers().firstValue("X-Repo-Commit")).contains(sha);
        assertThat(hub.get("/api/models/acme/tree/tree/main/README.md").statusCode()).isEqualTo(404);
        HttpResponse<String> rev = hub.get("/api/models/acme/tree/tree/nope");
        assertThat(rev.headers().firstValue("X-Error-Code")).contains("RevisionNotFound");
        for (String path : new String[] {"..", "%2e%2e", "a/..", "a%2F..%2F..", ".git", "a%00b", "a%5Cb", "%2Fetc"}) {
            HttpResponse<String> r = hub.get("/api/models/acme/tree/tree/main/" + path);
            assertThat(r.statusCode()).as(path).isIn(400, 404);
            assertThat(r.body()).as(path).doesNotContain("\"path\"");
        }
        for (String query : new String[] {"cursor=%25%25", "cursor=bm9uZQ", "limit=0", "limit=x"}) {
            HttpResponse<String> r = hub.get("/api/models/acme/tree/tree/main?" + query);
            assertThat(r.statusCode()).as(query).isEqualTo(400);
        }
    }

    @Test
    void pathsInfoAcceptsThePythonFormAndTheJsJson() {
        HttpResponse<String> form = hub.send(hub.request("/api/models/acme/tree/paths-info/main")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("paths=a%2Fmodel.bin&paths=a&paths=missing.txt&expand=False"))
                .build());
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(paths(list(json(form)))).containsExactly("a/model.bin", "a");
        assertThat(json(form).get(0).path("lfs").path("oid").asText()).isEqualTo(RepoContent.sha256(LFS));
        assertThat(json(form).get(0).has("lastCommit")).isFalse();

        HttpResponse<String> js = hub.postJson("/api/models/acme/tree/paths-info/refs%2Fpr%2F1",
                "{\"paths\":[\"README.md\",\"later.txt\"],\"expand\":true}");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(paths(list(json(js)))).containsExactly("README.md");
        assertThat(json(js).get(0).path("lastCommit").path("id").asText()).isEqualTo(prSha);

        HttpResponse<String> hostile = hub.postJson("/api/models/acme/tree/paths-info/main",
                "{\"paths\":[\"../../etc/passwd\",\".git/config\"]}");
        assertThat(hostile.statusCode()).isEqualTo(400);
        assertThat(hub.postJson("/api/models/acme/tree/paths-info/main", "{\"paths\":\"x\"}").statusCode())
                .isEqualTo(400);
    }

    static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }
}
