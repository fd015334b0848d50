package dev.quiver.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RepoLifecycleIT {
    static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.start();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void whoamiAnswersInTheShapeTheHfClientsRead() {
        HttpResponse<String> r = hub.get("/api/whoami-v2");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"name\":\"admin\"", "\"orgs\":[]", "\"accessToken\"", "\"role\":\"write\"");
    }

    @Test
    void aBadTokenIsRefusedWithTheHubsMessage() {
        HttpResponse<String> r = hub.send(HttpRequest.newBuilder(java.net.URI.create(hub.url() + "/api/whoami-v2"))
                .header("Authorization", "Bearer hf_nope").build());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("X-Error-Message")).contains("Invalid credentials in Authorization header");
    }

    @Test
    void createThenCreateAgainIsAConflictThatStillCarriesTheUrl() {
        HttpResponse<String> first = hub.postJson("/api/repos/create",
                "{\"name\":\"twice\",\"organization\":\"acme\",\"type\":\"model\"}");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).contains("\"url\":\"" + hub.url() + "/acme/twice\"");
        HttpResponse<String> again = hub.postJson("/api/repos/create",
                "{\"name\":\"twice\",\"organization\":\"acme\",\"type\":\"model\"}");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("\"url\":\"" + hub.url() + "/acme/twice\"");
    }

    @Test
    void invalidNamesAreRefusedWithTheRule() {
        for (String name : new String[] {"a--b", "a..b", "-x", "x.", "has space", "x".repeat(97), "../etc"}) {
            HttpResponse<String> r = hub.postJson("/api/repos/create",
                    "{\"name\":\"" + name + "\",\"organization\":\"acme\",\"type\":\"model\"}");
            assertThat(r.statusCode()).as(name).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        }
    }

    @Test
    void deleteRemovesTheRepoAndAMissingOneIsRepoNotFound() {
        hub.createRepo("dataset", "acme/gone");
        String body = "{\"name\":\"gone\",\"organization\":\"acme\",\"type\":\"dataset\"}";
        HttpResponse<String> del = hub.send(hub.request("/api/repos/delete").header("Content-Type", "application/json")
                .method("DELETE", HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(del.statusCode()).isEqualTo(200);
        assertThat(hub.hub().repos().info(dev.quiver.server.repo.RepoId.of(dev.quiver.schema.repo.RepoType.DATASET,
                "acme/gone"))).isEmpty();
        HttpResponse<String> again = hub.send(hub.request("/api/repos/delete").header("Content-Type",
                "application/json").method("DELETE", HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(again.headers().firstValue("X-Error-Code")).contains("RepoNotFound");
    }
}
