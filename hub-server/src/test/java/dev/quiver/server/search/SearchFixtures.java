package dev.quiver.server.search;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.schema.json.Json;
import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.TestHub;
import dev.quiver.server.auth.AccessToken;
import dev.quiver.server.auth.TokenService;
import dev.quiver.server.auth.User;
import dev.quiver.server.auth.UserStore;
import dev.quiver.server.db.Database;
import dev.quiver.server.repo.CommitRequest;
import dev.quiver.server.repo.FileChange;
import dev.quiver.server.repo.RepoId;
import dev.quiver.server.repo.RepoPath;
import dev.quiver.server.repo.RepoWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** Builds repositories with real cards and adapters through the hub's write path, and reads search answers. */
final class SearchFixtures {
    static final long VISIBLE_WITHIN_MILLIS = 1000;

    private SearchFixtures() {
    }

    static RepoId model(String id) {
        return RepoId.of(RepoType.MODEL, id);
    }

    /** Creates a repository through the API (private if asked) and commits {@code files} to main. */
    static void repo(TestHub hub, RepoId id, boolean isPrivate, Map<String, String> files) {
        HttpResponse<String> r = hub.postJson("/api/repos/create", "{\"type\":\"" + id.type().singular()
                + "\",\"organization\":\"" + id.owner() + "\",\"name\":\"" + id.name() + "\",\"private\":" + isPrivate
                + "}");
        if (r.statusCode() != 200) {
            throw new IllegalStateException("create " + id + ": " + r.statusCode() + " " + r.body());
        }
        if (!files.isEmpty()) {
            commit(hub, id, files);
        }
    }

    static void commit(TestHub hub, RepoId id, Map<String, String> files) {
        List<FileChange> changes = new ArrayList<>();
        files.forEach((path, text) -> changes.add(new FileChange.Put(new RepoPath(path),
                text.getBytes(StandardCharsets.UTF_8))));
        hub.hub().writer().commit(new CommitRequest(id, "main", Optional.empty(), "update", "",
                RepoWriter.hubIdent(), changes, false));
    }

    /** A PEFT-style adapter: card front matter as PEFT writes it, and an {@code adapter_config.json}. */
    static Map<String, String> adapter(String base, String revision, String extraFrontMatter, String body) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("README.md", "---\nbase_model: " + base + "\nlibrary_name: peft\npipeline_tag: text-generation\n"
                + "tags:\n- lora\n- transformers\n" + extraFrontMatter + "---\n" + body + "\n");
        files.put("adapter_config.json", "{\"base_model_name_or_path\":\"" + base + "\",\"lora_alpha\":16,"
                + "\"peft_type\":\"LORA\",\"r\":8,\"revision\":\"" + revision + "\",\"target_modules\":[\"q_proj\","
                + "\"v_proj\"],\"task_type\":\"CAUSAL_LM\"}");
        return files;
    }

    static Map<String, String> card(String frontMatter, String body) {
        return Map.of("README.md", "---\n" + frontMatter + "---\n" + body + "\n");
    }

    /** A user (not an admin) with a write token, created directly in the hub's database. */
    static String userToken(TestHub hub, String name) {
        try (Database db = Database.open(hub.dataDir().resolve("quiver.db"))) {
            User user = new UserStore(db).create(name, name, name + "@example.com", false, false);
            String secret = TokenService.newSecret();
            new TokenService(db).store(user, "test", AccessToken.Role.WRITE, secret);
            return secret;
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static HttpResponse<String> get(TestHub hub, String pathAndQuery, Optional<String> token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.url() + pathAndQuery)).GET();
        token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return hub.send(b.build());
    }

    static HttpResponse<String> getUrl(TestHub hub, String absoluteUrl, Optional<String> token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(absoluteUrl)).GET();
        token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return hub.send(b.build());
    }

    static JsonNode json(HttpResponse<String> r) {
        if (r.statusCode() != 200) {
            throw new AssertionError("HTTP " + r.statusCode() + ": " + r.body());
        }
        try {
            return Json.mapper().readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ids of a listing's items, in order. */
    static List<String> ids(JsonNode items) {
        List<String> ids = new ArrayList<>();
        items.forEach(i -> ids.add(i.path("id").asText()));
        return ids;
    }

    /** Ids the admin finds with {@code query} on {@code /api/models}. */
    static List<String> models(TestHub hub, String query) {
        return ids(json(hub.get("/api/models?" + query)));
    }

    /**
     * Polls {@code probe} until {@code done} holds, failing after {@code millis}; returns how long it took.
     * Search is refreshed in the background, so tests wait for what people wait for.
     */
    static <T> long await(java.util.function.Supplier<T> probe, Predicate<T> done, long millis) {
        long start = System.nanoTime();
        T last = probe.get();
        while (!done.test(last)) {
            if ((System.nanoTime() - start) / 1_000_000 > millis) {
                throw new AssertionError("not true within " + millis + " ms; last answer: " + last);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            last = probe.get();
        }
        return (System.nanoTime() - start) / 1_000_000;
    }
}
