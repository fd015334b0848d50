package dev.quiver.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.schema.json.Json;
import dev.quiver.server.TestHub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

/** Account set-up and requests as a given token, through a test hub's own HTTP API. */
final class AuthClient {
    private final TestHub hub;

    AuthClient(TestHub hub) {
        this.hub = hub;
    }

    /** Makes a local user (as the admin) and returns a new token of theirs with {@code role}. */
    String user(String name, String role) {
        ok(send("POST", "/api/admin/users", TestHub.ADMIN_TOKEN, "{\"name\":\"" + name + "\"}"));
        return token(name, role);
    }

    String token(String name, String role) {
        return json(ok(send("POST", "/api/admin/users/" + name + "/tokens", TestHub.ADMIN_TOKEN,
                "{\"name\":\"t\",\"role\":\"" + role + "\"}"))).path("token").asText();
    }

    void org(String org, String adminToken) {
        ok(send("POST", "/api/organizations", adminToken, "{\"name\":\"" + org + "\"}"));
    }

    void member(String org, String user, String role, String adminToken) {
        ok(send("PUT", "/api/organizations/" + org + "/members/" + user, adminToken, "{\"role\":\"" + role + "\"}"));
    }

    void repo(String type, String id, boolean isPrivate, String token) {
        String[] p = id.split("/");
        ok(send("POST", "/api/repos/create", token, "{\"type\":\"" + type + "\",\"organization\":\"" + p[0]
                + "\",\"name\":\"" + p[1] + "\",\"private\":" + isPrivate + "}"));
    }

    HttpResponse<String> send(String method, String path, String token, String json) {
        return send(method, path, Optional.ofNullable(token), json);
    }

    HttpResponse<String> send(String method, String path, Optional<String> token, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.url() + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return hub.send(b.build());
    }

    HttpResponse<String> get(String path, String token) {
        return send("GET", path, token, null);
    }

    static HttpResponse<String> ok(HttpResponse<String> r) {
        if (r.statusCode() != 200) {
            throw new AssertionError(r.request().method() + " " + r.uri() + " -> " + r.statusCode() + " " + r.body());
        }
        return r;
    }

    static JsonNode json(HttpResponse<String> r) {
        return json(r.body());
    }

    static JsonNode json(String body) {
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
