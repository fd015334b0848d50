package dev.quiver.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.schema.json.Json;
import dev.quiver.schema.repo.RepoType;
import dev.quiver.schema.safetensors.Dtype;
import dev.quiver.schema.safetensors.SafetensorsWriter;
import dev.quiver.server.TestHub;
import dev.quiver.server.repo.RepoId;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InfoIT {
    static TestHub hub;
    static String sha;
    static byte[] weights;

    static final String CARD = """
            ---
            base_model: acme/tiny-llama
            library_name: peft
            license: mit
            datasets: [acme/support-qa]
            pipeline_tag: text-generation
            tags: [lora]
            ---
            # An adapter
            """;

    @BeforeAll
    static void start() {
        hub = TestHub.start();
        hub.createRepo("model", "acme/adapter");
        weights = new SafetensorsWriter()
                .add("base_model.model.q_proj.lora_A.weight", Dtype.F32, new long[] {2, 8}, ByteBuffer.allocate(64))
                .add("base_model.model.q_proj.lora_B.weight", Dtype.F32, new long[] {8, 2}, ByteBuffer.allocate(64))
                .toBytes();
        sha = RepoContent.in(hub, "acme/adapter").file("README.md", CARD)
                .file("adapter_config.json", "{\"peft_type\":\"LORA\",\"base_model_name_or_path\":\"acme/tiny-llama\","
                        + "\"r\":2,\"lora_alpha\":4,\"target_modules\":[\"q_proj\"]}")
                .lfs("adapter_model.safetensors", weights).commit();
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

    @Test
    void infoHasEveryFieldTheClientsReadInTheHubsShape() {
        for (String path : new String[] {"/api/models/acme/adapter", "/api/models/acme/adapter/revision/HEAD",
            "/api/models/acme/adapter/revision/main", "/api/models/acme/adapter/revision/" + sha}) {
            HttpResponse<String> r = hub.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            JsonNode info = json(r);
            assertThat(info.path("id").asText()).isEqualTo("acme/adapter");
            assertThat(info.path("_id").asText()).matches("[0-9a-f]{24}");
            assertThat(info.path("modelId").asText()).isEqualTo("acme/adapter");
            assertThat(info.path("author").asText()).isEqualTo("acme");
            assertThat(info.path("sha").asText()).isEqualTo(sha);
            assertThat(info.path("private").isBoolean()).isTrue();
            assertThat(info.path("gated").asBoolean(true)).isFalse();
            assertThat(info.path("disabled").asBoolean(true)).isFalse();
            assertThat(info.path("downloads").isNumber()).isTrue();
            assertThat(info.path("likes").isNumber()).isTrue();
            assertThat(info.path("lastModified").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(info.path("createdAt").asText()).endsWith("Z");
            assertThat(info.path("library_name").asText()).isEqualTo("peft");
            assertThat(info.path("pipeline_tag").asText()).isEqualTo("text-generation");
            assertThat(texts(info.path("tags"))).contains("peft", "safetensors", "lora", "dataset:acme/support-qa",
                    "base_model:adapter:acme/tiny-llama", "license:mit");
            assertThat(info.path("cardData").path("license").asText()).isEqualTo("mit");
            List<String> files = new ArrayList<>();
            info.path("siblings").forEach(s -> files.add(s.path("rfilename").asText()));
            assertThat(files).containsExactlyInAnyOrder(".gitattributes", "README.md", "adapter_config.json",
                    "adapter_model.safetensors");
            assertThat(info.path("siblings").get(0).has("size")).isFalse();
            assertThat(info.path("safetensors").path("parameters").path("F32").asLong()).isEqualTo(32);
            assertThat(info.path("safetensors").path("total").asLong()).isEqualTo(32);
            JsonNode adapter = info.path("quiver").path("adapter");
            assertThat(adapter.path("peftType").asText()).isEqualTo("LORA");
            assertThat(adapter.path("baseModel").asText()).isEqualTo("acme/tiny-llama");
            assertThat(adapter.path("r").asInt()).isEqualTo(2);
            assertThat(adapter.path("alpha").asDouble()).isEqualTo(4.0);
            assertThat(adapter.path("parameters").asLong()).isEqualTo(32);
            assertThat(info.path("usedStorage").asLong()).isGreaterThan(weights.length);
            assertThat(info.has("xetHash")).isFalse();
        }
    }

    @Test
    void blobsTrueAddsSizesBlobIdsAndLfsWithSha256() {
        JsonNode info = json(hub.get("/api/models/acme/adapter?blobs=True"));
        JsonNode lfsFile = null;
        for (JsonNode s : info.path("siblings")) {
            assertThat(s.has("size")).isTrue();
            assertThat(s.path("blobId").asText()).matches("[0-9a-f]{40}");
            if (s.path("rfilename").asText().equals("adapter_model.safetensors")) {
                lfsFile = s;
            }
        }
        assertThat(lfsFile).isNotNull();
        assertThat(lfsFile.path("size").asLong()).isEqualTo(weights.length);
        assertThat(lfsFile.path("lfs").path("sha256").asText()).isEqualTo(RepoContent.sha256(weights));
        assertThat(lfsFile.path("lfs").path("size").asLong()).isEqualTo(weights.length);
        assertThat(lfsFile.path("lfs").path("pointerSize").asLong()).isBetween(100L, 200L);
        assertThat(lfsFile.path("lfs").has("oid")).isFalse();
    }

    @Test
    void expandInBothSpellingsReturnsOnlyIdAndTheExpandedKeys() {
        for (String query : new String[] {"expand=sha&expand=private&expand=downloads",
            "expand%5B%5D=sha&expand%5B%5D=private&expand%5B%5D=downloads",
            "expand%5B%5D=sha&expand=private&expand%5B%5D=downloads"}) {
            HttpResponse<String> r = hub.send(hub.request("/api/models/acme/adapter/revision/HEAD?" + query).GET().build());
            assertThat(r.statusCode()).as(query).isEqualTo(200);
            JsonNode info = json(r);
            List<String> keys = new ArrayList<>();
            info.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).as(query).containsExactlyInAnyOrder("_id", "id", "sha", "private", "downloads");
            assertThat(keys.subList(0, 2)).containsExactly("_id", "id");
            assertThat(info.path("sha").asText()).isEqualTo(sha);
        }
    }

    @Test
    void unknownRevisionsAndReposAnswerWithTheirCodes() {
        HttpResponse<String> rev = hub.get("/api/models/acme/adapter/revision/nope");
        assertThat(rev.statusCode()).isEqualTo(404);
        assertThat(rev.headers().firstValue("X-Error-Code")).contains("RevisionNotFound");
        HttpResponse<String> repo = hub.get("/api/models/acme/none");
        assertThat(repo.statusCode()).isEqualTo(404);
        assertThat(repo.headers().firstValue("X-Error-Code")).contains("RepoNotFound");
        HttpResponse<String> wrongType = hub.get("/api/datasets/acme/adapter");
        assertThat(wrongType.headers().firstValue("X-Error-Code")).contains("RepoNotFound");
    }

    @Test
    void repoRoutesDoNotCaptureOtherResourcesThatShareTheirShape() {
        for (String path : new String[] {"/api/settings/webhooks/5", "/api/organizations/acme/members",
            "/api/jobs/acme/7", "/api/spaces/acme/adapter"}) {
            HttpResponse<String> r = hub.get(path);
            assertThat(r.body()).as(path).doesNotContain("unknown repository type");
            assertThat(r.headers().firstValue("X-Error-Code")).as(path).isNotEqualTo(Optional.of("RepoNotFound"));
        }
    }

    @Test
    void aRepoWithoutCardOrWeightsHasEmptyTagsAndNoOptionalObjects() {
        hub.createRepo("dataset", "acme/plain");
        JsonNode info = json(hub.get("/api/datasets/acme/plain"));
        assertThat(info.path("id").asText()).isEqualTo("acme/plain");
        assertThat(info.has("modelId")).isFalse();
        assertThat(info.path("tags").isArray()).isTrue();
        assertThat(info.path("tags")).isEmpty();
        assertThat(info.has("cardData")).isFalse();
        assertThat(info.has("safetensors")).isFalse();
        assertThat(info.has("quiver")).isFalse();
        assertThat(info.path("siblings")).hasSize(1);
    }

    @Test
    void aPrivateRepoIsInvisibleAndAMovedOneRedirects() throws Exception {
        hub.createRepo("model", "acme/hidden");
        hub.hub().repos().setPrivate(RepoId.of(RepoType.MODEL, "acme/hidden"), true);
        HttpResponse<String> anon = hub.http().send(HttpRequest.newBuilder(URI.create(hub.url()
                + "/api/models/acme/hidden")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anon.statusCode()).isEqualTo(401);
        assertThat(anon.headers().firstValue("X-Error-Code")).contains("RepoNotFound");
        assertThat(hub.get("/api/models/acme/hidden").statusCode()).isEqualTo(200);

        hub.createRepo("model", "acme/before");
        hub.hub().repos().move(RepoId.of(RepoType.MODEL, "acme/before"), RepoId.of(RepoType.MODEL, "acme/after"));
        HttpResponse<String> moved = hub.get("/api/models/acme/before/revision/main?expand=sha");
        assertThat(moved.statusCode()).isEqualTo(307);
        assertThat(moved.headers().firstValue("Location")).contains("/api/models/acme/after/revision/main?expand=sha");

        hub.createRepo("model", "acme/was-public");
        hub.hub().repos().move(RepoId.of(RepoType.MODEL, "acme/was-public"), RepoId.of(RepoType.MODEL, "acme/now-private"));
        hub.hub().repos().setPrivate(RepoId.of(RepoType.MODEL, "acme/now-private"), true);
        HttpResponse<String> leak = hub.http().send(HttpRequest.newBuilder(URI.create(hub.url()
                + "/api/models/acme/was-public")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(leak.statusCode()).isEqualTo(401);
        assertThat(leak.headers().firstValue("Location")).isEmpty();
    }

    @Test
    void downloadsCountedThroughResolveShowInInfo() {
        hub.createRepo("model", "acme/popular");
        RepoContent.in(hub, "acme/popular").file("config.json", "{}").commit();
        for (int i = 0; i < 3; i++) {
            assertThat(hub.get("/acme/popular/resolve/main/config.json").statusCode()).isEqualTo(200);
        }
        assertThat(json(hub.get("/api/models/acme/popular?expand=downloads")).path("downloads").asLong()).isEqualTo(3);
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
