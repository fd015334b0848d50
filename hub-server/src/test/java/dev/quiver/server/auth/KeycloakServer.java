package dev.quiver.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.schema.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real Keycloak from its distribution (unpacked by Maven into the build directory), started once
 * per test JVM in dev mode on free ports with the realms under {@code src/test/resources/keycloak}
 * imported into an in-memory database, and stopped when the JVM exits. It runs on the JDK the tests
 * run on.
 */
final class KeycloakServer {
    static final String ADMIN = "kcadmin";
    static final String ADMIN_PASSWORD = "kcadmin-password";
    private static KeycloakServer shared;

    private final Process process;
    private final String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private KeycloakServer(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /** Where Maven unpacked the distribution; the tests need it. */
    static Path home() {
        String configured = System.getProperty("quiver.keycloak.home", "");
        if (configured.isEmpty()) {
            throw new IllegalStateException("quiver.keycloak.home is not set: run the integration tests through Maven");
        }
        return Path.of(configured);
    }

    static synchronized KeycloakServer shared() {
        if (shared == null) {
            shared = start();
            KeycloakServer started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
        }
        return shared;
    }

    private static KeycloakServer start() {
        try {
            Path home = home();
            Path imports = home.resolve("data/import");
            Files.createDirectories(imports);
            for (String realm : new String[] {"quiver-realm.json", "other-realm.json"}) {
                try (InputStream in = KeycloakServer.class.getResourceAsStream("/keycloak/" + realm)) {
                    Files.copy(in, imports.resolve(realm), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            int port = freePort();
            Path log = Files.createTempFile("keycloak-", ".log");
            ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start-dev",
                    "--http-port=" + port, "--http-management-port=" + freePort(), "--http-host=127.0.0.1",
                    "--hostname=http://127.0.0.1:" + port, "--db=dev-mem", "--import-realm", "--cache=local")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            pb.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
            pb.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
            pb.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
            pb.environment().put("JAVA_OPTS_APPEND", "--add-opens=java.base/java.lang=ALL-UNNAMED");
            Instant t0 = Instant.now();
            KeycloakServer kc = new KeycloakServer(pb.start(), "http://127.0.0.1:" + port);
            kc.awaitReady(log, Duration.ofMinutes(12));
            System.out.println("Keycloak ready in " + Duration.between(t0, Instant.now()).toSeconds() + " s; log " + log);
            return kc;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(Path log, Duration limit) throws IOException {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited: " + tail(log));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(issuer("quiver")
                        + "/.well-known/openid-configuration")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"issuer\"")) {
                    HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create(issuer("other")
                            + "/.well-known/openid-configuration")).build(), HttpResponse.BodyHandlers.ofString());
                    if (other.statusCode() == 200) {
                        return;
                    }
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(1000);
        }
        stop();
        throw new IllegalStateException("Keycloak did not start within " + limit + ": " + tail(log));
    }

    void stop() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(Duration.ofSeconds(20).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String url() {
        return url;
    }

    String issuer(String realm) {
        return url + "/realms/" + realm;
    }

    /** The token endpoint's answer to a form. */
    JsonNode token(String realm, Map<String, String> form) {
        HttpResponse<String> r = post(issuer(realm) + "/protocol/openid-connect/token", form, null);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("token endpoint answered " + r.statusCode() + ": " + r.body());
        }
        return parse(r.body());
    }

    /** An access token by the password grant. */
    String password(String realm, String client, String secret, String user, String password) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grant_type", "password");
        f.put("client_id", client);
        if (secret != null) {
            f.put("client_secret", secret);
        }
        f.put("username", user);
        f.put("password", password);
        f.put("scope", "openid");
        return token(realm, f).path("access_token").asText();
    }

    String clientCredentials(String client, String secret) {
        return token("quiver", Map.of("grant_type", "client_credentials", "client_id", client, "client_secret", secret))
                .path("access_token").asText();
    }

    /** Calls the admin REST API as the bootstrap admin. */
    HttpResponse<String> admin(String method, String path) {
        String token = password("master", "admin-cli", null, ADMIN, ADMIN_PASSWORD);
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url + "/admin/realms/" + path))
                    .header("Authorization", "Bearer " + token).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Takes a user out of a group, by name and group path, through the admin REST API. */
    void removeFromGroup(String user, String groupPath) {
        String userId = parse(admin("GET", "quiver/users?exact=true&username=" + user).body()).get(0).path("id").asText();
        for (JsonNode g : parse(admin("GET", "quiver/users/" + userId + "/groups").body())) {
            if (g.path("path").asText().equals(groupPath)) {
                HttpResponse<String> r = admin("DELETE", "quiver/users/" + userId + "/groups/" + g.path("id").asText());
                if (r.statusCode() / 100 != 2) {
                    throw new IllegalStateException("could not remove " + user + " from " + groupPath + ": " + r.statusCode());
                }
                return;
            }
        }
        throw new IllegalStateException(user + " is not in " + groupPath);
    }

    private HttpResponse<String> post(String target, Map<String, String> form, String bearer) {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String s) {
        try {
            return Json.mapper().readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            String all = Files.readString(log);
            return all.substring(Math.max(0, all.length() - 4000));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
