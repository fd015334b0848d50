package dev.quiver.server.auth;

import static dev.quiver.server.auth.AuthClient.json;
import static dev.quiver.server.auth.AuthClient.ok;
import static dev.quiver.server.auth.TestJwts.b64;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.quiver.server.TestHub;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub trusting a real Keycloak (started once per test JVM from its distribution): its access
 * tokens from the real token endpoint work as bearer tokens on the API and for git, its groups become
 * organization roles and stop counting when a user leaves a group, and a browser signs in through
 * Keycloak's real login page. Tokens that are wrong in any way are refused.
 */
class KeycloakIT {
    static KeycloakServer kc;
    static TestHub hub;
    static AuthClient api;

    @BeforeAll
    static void start() {
        kc = KeycloakServer.shared();
        OidcConfig oidc = OidcConfig.of(kc.issuer("quiver"), "quiver").withClientSecret("quiver-secret")
                .withAdminGroup("/quiver-admins").withClockSkew(Duration.ofSeconds(1));
        hub = TestHub.start(c -> c.withOidc(oidc));
        api = new AuthClient(hub);
        // private repositories of organization acme, made by the hub's local admin
        api.org("acme", TestHub.ADMIN_TOKEN);
        api.repo("model", "acme/private-lora", true, TestHub.ADMIN_TOKEN);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    static String alice() {
        return kc.password("quiver", "quiver", "quiver-secret", "alice", "alice-password");
    }

    @Test
    void aKeycloakAccessTokenIsABearerTokenWithGroupRoles() {
        String token = alice();
        JsonNode me = json(ok(api.get("/api/whoami-v2", token)));
        assertThat(me.path("name").asText()).isEqualTo("alice");
        assertThat(me.path("fullname").asText()).isEqualTo("Alice Writer");
        assertThat(me.path("isAdmin").asBoolean()).isFalse();
        assertThat(me.path("orgs").get(0).path("name").asText()).isEqualTo("acme");
        assertThat(me.path("orgs").get(0).path("roleInOrg").asText()).isEqualTo("write");
        assertThat(me.path("auth").path("accessToken").path("role").asText()).isEqualTo("write");
        ok(api.get("/api/models/acme/private-lora", token));
        ok(api.send("POST", "/api/repos/create", token, "{\"organization\":\"acme\",\"name\":\"alices\",\"private\":true}"));

        String bob = kc.password("quiver", "quiver", "quiver-secret", "bob", "bob-password");
        ok(api.get("/api/models/acme/private-lora", bob));
        assertThat(api.send("POST", "/api/models/acme/private-lora/commit/main", bob, commit("x.txt")).statusCode())
                .isEqualTo(403);
        String carol = kc.password("quiver", "quiver", "quiver-secret", "carol", "carol-password");
        HttpResponse<String> hidden = api.get("/api/models/acme/private-lora", carol);
        assertThat(hidden.statusCode()).isEqualTo(404);
        assertThat(hidden.headers().firstValue("X-Error-Code")).hasValue("RepoNotFound");

        String root = kc.password("quiver", "quiver", "quiver-secret", "root", "root-password");
        JsonNode rootMe = json(ok(api.get("/api/whoami-v2", root)));
        assertThat(rootMe.path("isAdmin").asBoolean()).isTrue();
        assertThat(rootMe.path("orgs")).isEmpty();
    }

    @Test
    void aServiceAccountTokenFromClientCredentialsWritesThroughItsGroup() {
        String ci = kc.clientCredentials("quiver-ci", "ci-secret");
        assertThat(json(ok(api.get("/api/whoami-v2", ci))).path("name").asText()).isEqualTo("service-account-quiver-ci");
        ok(api.send("POST", "/api/models/acme/private-lora/commit/main", ci, commit("from-ci.txt")));
    }

    @Test
    void leavingAGroupTakesTheRoleAwayWithTheNextToken() {
        String before = kc.password("quiver", "quiver", "quiver-secret", "dave", "dave-password");
        ok(api.send("POST", "/api/models/acme/private-lora/commit/main", before, commit("dave.txt")));
        kc.removeFromGroup("dave", "/acme/writers");
        String after = kc.password("quiver", "quiver", "quiver-secret", "dave", "dave-password");
        assertThat(json(ok(api.get("/api/whoami-v2", after))).path("orgs")).isEmpty();
        assertThat(api.get("/api/models/acme/private-lora", after).statusCode()).isEqualTo(404);
        assertThat(api.send("POST", "/api/models/acme/private-lora/commit/main", after, commit("dave2.txt")).statusCode())
                .isEqualTo(404);
        List<String> actions = new ArrayList<>();
        json(ok(api.get("/api/admin/audit?actor=dave", TestHub.ADMIN_TOKEN))).forEach(e -> actions.add(e.path("action")
                .asText()));
        assertThat(actions).contains("user.create", "membership.sync");
    }

    @Test
    void gitClonesAndPushesWithAKeycloakToken(@TempDir Path dir) throws Exception {
        String token = alice();
        ok(api.send("POST", "/api/repos/create", token, "{\"organization\":\"acme\",\"name\":\"git-lora\",\"private\":true}"));
        String remote = hub.url().replace("http://", "http://alice:" + token + "@") + "/acme/git-lora.git";
        git(dir, "clone", remote, "work");
        Path work = dir.resolve("work");
        Files.writeString(work.resolve("README.md"), "# pushed with a Keycloak token\n");
        git(work, "add", "README.md");
        git(work, "-c", "user.name=alice", "-c", "user.email=alice@example.com", "commit", "-m", "readme");
        git(work, "push", "origin", "HEAD:main");
        assertThat(ok(api.get("/acme/git-lora/resolve/main/README.md", token)).body()).contains("Keycloak token");
        String carol = kc.password("quiver", "quiver", "quiver-secret", "carol", "carol-password");
        String outsider = hub.url().replace("http://", "http://carol:" + carol + "@") + "/acme/git-lora.git";
        assertThat(gitStatus(dir, "ls-remote", outsider)).isNotZero();
    }

    @Test
    void tokensForAnotherClientOrRealmOrExpiredAreRefused() throws Exception {
        // another client of the same realm: neither audience nor authorized party is this hub
        assertRefused(kc.password("quiver", "other-app", null, "alice", "alice-password"));
        // another realm of the same Keycloak: wrong issuer, keys not in this realm's set
        assertRefused(kc.password("other", "quiver", null, "alice", "alice-password"));
        // the ID token is not an access token
        String id = kc.token("quiver", Map.of("grant_type", "password", "client_id", "quiver", "client_secret",
                "quiver-secret", "username", "alice", "password", "alice-password", "scope", "openid")).path("id_token")
                .asText();
        assertRefused(id);
        // expired: a client whose tokens live five seconds (the hub allows one second of clock skew)
        String shortLived = kc.password("quiver", "quiver-short", null, "alice", "alice-password");
        ok(api.get("/api/whoami-v2", shortLived));
        Thread.sleep(7500);
        assertRefused(shortLived);
    }

    @Test
    void tamperedAndHandMadeTokensAreRefused() {
        String[] parts = alice().split("\\.");
        JsonNode header = parse(parts[0]);
        JsonNode claims = parse(parts[1]);
        String evilClaims = b64(claims.toString().replace("\"alice\"", "\"admin\""));
        assertRefused(parts[0] + "." + evilClaims + "." + parts[2]);
        assertRefused(b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".");
        assertRefused(b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + "." + parts[2]);
        var mine = TestJwts.rsa();
        Map<String, Object> h = Map.of("alg", "RS256", "typ", "JWT", "kid", header.path("kid").asText());
        @SuppressWarnings("unchecked")
        Map<String, Object> c = dev.quiver.schema.json.Json.mapper().convertValue(claims, Map.class);
        assertRefused(TestJwts.sign(h, c, mine));
        assertRefused(TestJwts.sign(Map.of("alg", "RS256", "typ", "JWT", "kid", "not-in-the-jwks"), c, mine));
        assertRefused(TestJwts.sign(Map.of("alg", "HS256", "typ", "JWT", "kid", header.path("kid").asText()), c, mine));
    }

    @Test
    void aKeycloakUserNamedLikeALocalAccountIsNotThatAccount() {
        assertRefused(kc.password("quiver", "quiver", "quiver-secret", "admin", "admin-password"));
    }

    @Test
    void theSignInFlowIsBoundToTheBrowserAndItsCodeWorksOnce() throws Exception {
        CookieJar browser = new CookieJar();
        HttpResponse<String> login = browser.send(HttpRequest.newBuilder(URI.create(hub.url() + "/login?next=/acme")));
        assertThat(login.statusCode()).isEqualTo(302);
        String authorize = login.headers().firstValue("Location").orElseThrow();
        assertThat(authorize).startsWith(kc.issuer("quiver") + "/protocol/openid-connect/auth?")
                .contains("code_challenge_method=S256", "code_challenge=", "state=", "nonce=");
        HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create(authorize)));
        assertThat(page.statusCode()).isEqualTo(200);
        Matcher action = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"").matcher(page.body());
        assertThat(action.find()).as(page.body()).isTrue();
        String form = "username=alice&password=" + URLEncoder.encode("alice-password", StandardCharsets.UTF_8)
                + "&credentialId=";
        HttpResponse<String> posted = browser.send(HttpRequest.newBuilder(URI.create(action.group(1).replace("&amp;", "&")))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(302);
        String callback = posted.headers().firstValue("Location").orElseThrow();
        assertThat(callback).startsWith(hub.url() + "/oauth/callback?");

        // the callback only completes in the browser that started the sign-in
        assertThat(new CookieJar().send(HttpRequest.newBuilder(URI.create(callback))).statusCode()).isEqualTo(400);

        HttpResponse<String> back = browser.send(HttpRequest.newBuilder(URI.create(callback)));
        assertThat(back.statusCode()).as(back.body()).isEqualTo(303);
        assertThat(back.headers().firstValue("Location")).hasValue("/acme");
        assertThat(back.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("quiver_session=")
                .contains("HttpOnly", "SameSite=Lax"));
        // the same code and state cannot be used twice
        assertThat(browser.send(HttpRequest.newBuilder(URI.create(callback))).statusCode()).isEqualTo(400);

        JsonNode session = json(browser.send(HttpRequest.newBuilder(URI.create(hub.url() + "/api/auth/session"))));
        assertThat(session.path("name").asText()).isEqualTo("alice");
        assertThat(browser.send(HttpRequest.newBuilder(URI.create(hub.url() + "/api/models/acme/private-lora")))
                .statusCode()).isEqualTo(200);

        HttpResponse<String> out = browser.send(HttpRequest.newBuilder(URI.create(hub.url() + "/logout?csrf="
                + session.path("csrfToken").asText())).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().firstValue("Location").orElseThrow()).startsWith(kc.issuer("quiver")
                + "/protocol/openid-connect/logout?");
        assertThat(json(browser.send(HttpRequest.newBuilder(URI.create(hub.url() + "/api/auth/session"))))
                .path("signedIn").asBoolean()).isFalse();
    }

    /**
     * A minimal browser cookie store per port (Keycloak and the hub share 127.0.0.1). Unlike the JDK's
     * cookie manager it sends {@code Secure} cookies over plain http, as browsers do for loopback.
     */
    static final class CookieJar {
        private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        private final Map<Integer, Map<String, String>> cookies = new java.util.HashMap<>();

        HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
            HttpRequest r = request.build();
            Map<String, String> jar = cookies.computeIfAbsent(r.uri().getPort(), p -> new java.util.LinkedHashMap<>());
            HttpRequest.Builder b = request.copy();
            if (!jar.isEmpty()) {
                b.header("Cookie", jar.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(java.util.stream.Collectors.joining("; ")));
            }
            HttpResponse<String> response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            for (String set : response.headers().allValues("Set-Cookie")) {
                String pair = set.split(";", 2)[0];
                int eq = pair.indexOf('=');
                String name = pair.substring(0, eq).strip();
                String value = pair.substring(eq + 1).strip();
                if (value.isEmpty() || set.contains("Max-Age=0")) {
                    jar.remove(name);
                } else {
                    jar.put(name, value);
                }
            }
            return response;
        }
    }

    @Test
    void chromiumSignsInOnKeycloaksRealLoginPage() {
        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
                Browser chromium = playwright.chromium().launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(Path.of(System.getenv().getOrDefault("QUIVER_CHROMIUM", "/usr/bin/chromium")))
                        .setHeadless(true).setArgs(List.of("--no-sandbox", "--disable-gpu",
                                "--disable-background-networking", "--disable-component-update", "--no-first-run")))) {
            Page page = chromium.newContext().newPage();
            page.navigate(hub.url() + "/login?next=/api/auth/session");
            assertThat(page.url()).startsWith(kc.issuer("quiver") + "/protocol/openid-connect/auth");
            page.fill("#username", "bob");
            page.fill("#password", "bob-password");
            page.click("#kc-login");
            page.waitForURL(hub.url() + "/api/auth/session");
            assertThat(page.content()).contains("\"signedIn\":true", "\"name\":\"bob\"");
            List<com.microsoft.playwright.options.Cookie> cookies = page.context().cookies(hub.url());
            assertThat(cookies).anySatisfy(c -> {
                assertThat(c.name).isEqualTo("quiver_session");
                assertThat(c.httpOnly).isTrue();
                assertThat(c.sameSite).isEqualTo(com.microsoft.playwright.options.SameSiteAttribute.LAX);
            });
            // the page's own scripts cannot read the session cookie
            assertThat(String.valueOf(page.evaluate("document.cookie"))).doesNotContain("quiver_session");

            // the web UI's sign-out form ends the hub's session and leads on to Keycloak's end-session
            // page (the page's form-action policy must allow that redirect)
            page.navigate(hub.url() + "/");
            page.waitForSelector("a.me:has-text('bob')");
            com.microsoft.playwright.Request toKeycloak = page.waitForRequest(
                    r -> r.url().startsWith(kc.issuer("quiver") + "/protocol/openid-connect/logout?"),
                    () -> page.click("form[action='/logout'] button"));
            assertThat(toKeycloak.redirectedFrom().url()).isEqualTo(hub.url() + "/logout");
            assertThat(page.context().request().get(hub.url() + "/api/auth/session").text())
                    .contains("\"signedIn\":false");
        }
    }

    static void assertRefused(String token) {
        HttpResponse<String> r = api.get("/api/whoami-v2", token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
        assertThat(r.headers().firstValue("X-Error-Message")).hasValue("Invalid credentials in Authorization header");
    }

    static String commit(String path) {
        return "{\"key\":\"header\",\"value\":{\"summary\":\"c\"}}\n{\"key\":\"file\",\"value\":{\"path\":\"" + path
                + "\",\"content\":\"aGk=\",\"encoding\":\"base64\"}}\n";
    }

    static JsonNode parse(String part) {
        try {
            return dev.quiver.schema.json.Json.mapper().readTree(Base64.getUrlDecoder().decode(part));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void git(Path dir, String... args) throws Exception {
        int rc = gitStatus(dir, args);
        assertThat(rc).as("git " + args[0]).isZero();
    }

    static int gitStatus(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile("git-", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("HOME", dir.toString());
        Process p = pb.start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return -1;
        }
        System.out.println(Files.readString(log));
        return p.exitValue();
    }
}
