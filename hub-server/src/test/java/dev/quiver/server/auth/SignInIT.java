package dev.quiver.server.auth;

import static dev.quiver.server.auth.AuthClient.json;
import static dev.quiver.server.auth.AuthClient.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.server.TestHub;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Local accounts with passwords, browser sessions with CSRF protection, and slowing down guessing. */
class SignInIT {
    static TestHub hub;
    static AuthClient api;

    @BeforeAll
    static void start() {
        hub = TestHub.start();
        api = new AuthClient(hub);
        ok(api.send("POST", "/api/admin/users", TestHub.ADMIN_TOKEN,
                "{\"name\":\"lena\",\"email\":\"lena@example.com\",\"password\":\"lena-password-1\"}"));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    HttpResponse<String> post(String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.url() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return hub.send(b.build());
    }

    HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.url() + path)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return hub.send(b.build());
    }

    @Test
    void aSessionCookieIsHttpOnlySameSiteAndNeedsTheCsrfTokenToChangeAnything() {
        HttpResponse<String> login = ok(post("/api/auth/login", "{\"username\":\"lena\",\"password\":\"lena-password-1\"}"));
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("quiver_session=").contains("HttpOnly", "SameSite=Lax", "Path=/")
                .doesNotContain("Secure");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        JsonNode session = json(ok(get("/api/auth/session", "Cookie", cookie)));
        assertThat(session.path("signedIn").asBoolean()).isTrue();
        assertThat(session.path("name").asText()).isEqualTo("lena");
        String csrf = session.path("csrfToken").asText();
        assertThat(csrf).isEqualTo(json(login).path("csrfToken").asText()).hasSizeGreaterThan(40);

        assertThat(json(ok(get("/api/whoami-v2", "Cookie", cookie))).path("name").asText()).isEqualTo("lena");
        String body = "{\"name\":\"from-browser\",\"role\":\"read\"}";
        assertThat(post("/api/settings/tokens", body, "Cookie", cookie).statusCode()).isEqualTo(403);
        assertThat(post("/api/settings/tokens", body, "Cookie", cookie, "X-CSRF-Token", csrf + "x").statusCode())
                .isEqualTo(403);
        assertThat(json(ok(post("/api/settings/tokens", body, "Cookie", cookie, "X-CSRF-Token", csrf))).path("token")
                .asText()).startsWith("hf_");
        // browsers mark their requests; a cross-site one needs the token, a same-origin form does not
        assertThat(post("/api/settings/tokens", body, "Cookie", cookie, "Sec-Fetch-Site", "cross-site").statusCode())
                .isEqualTo(403);
        ok(post("/api/settings/tokens", body, "Cookie", cookie, "Sec-Fetch-Site", "same-origin"));

        HttpResponse<String> logout = post("/logout?csrf=" + csrf, "", "Cookie", cookie);
        assertThat(logout.statusCode()).isEqualTo(303);
        assertThat(logout.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
        assertThat(json(ok(get("/api/auth/session", "Cookie", cookie))).path("signedIn").asBoolean()).isFalse();
        assertThat(get("/api/whoami-v2", "Cookie", cookie).statusCode()).isEqualTo(401);
    }

    @Test
    void theLoginFormSignsInAndOnlyRedirectsToLocalPaths() {
        HttpResponse<String> page = get("/login?next=/acme");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<form", "name=\"next\" value=\"/acme\"");
        HttpResponse<String> signedIn = hub.send(HttpRequest.newBuilder(URI.create(hub.url() + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(
                        "username=lena&password=lena-password-1&next=%2F%2Fevil.example%2Fx")).build());
        assertThat(signedIn.statusCode()).isEqualTo(303);
        assertThat(signedIn.headers().firstValue("Location")).hasValue("/");
        HttpResponse<String> crossSite = hub.send(HttpRequest.newBuilder(URI.create(hub.url() + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("username=lena&password=lena-password-1")).build());
        assertThat(crossSite.statusCode()).isEqualTo(403);
        HttpResponse<String> wrong = hub.send(HttpRequest.newBuilder(URI.create(hub.url() + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(
                        "username=lena&password=nope&next=%3Cscript%3E")).build());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("Invalid username or password").doesNotContain("<script>");
    }

    @Test
    void aCliGetsATokenForANameAndPassword() {
        JsonNode made = json(ok(post("/api/auth/token",
                "{\"username\":\"lena\",\"password\":\"lena-password-1\",\"name\":\"laptop\",\"role\":\"write\"}")));
        assertThat(json(ok(api.get("/api/whoami-v2", made.path("token").asText()))).path("name").asText())
                .isEqualTo("lena");
    }

    @Test
    void unknownNamesAndWrongPasswordsLookAlikeThenGuessingIsSlowedDown() {
        // runs last in its own hub so its failures do not slow the other tests
        try (TestHub own = TestHub.start()) {
            AuthClient c = new AuthClient(own);
            ok(c.send("POST", "/api/admin/users", TestHub.ADMIN_TOKEN, "{\"name\":\"max\",\"password\":\"max-password-1\"}"));
            List<Long> unknown = new ArrayList<>();
            List<Long> wrongPassword = new ArrayList<>();
            HttpResponse<String> first = null;
            for (int i = 0; i < 2; i++) {
                long t0 = System.nanoTime();
                HttpResponse<String> a = c.send("POST", "/api/auth/login", (String) null,
                        "{\"username\":\"nobody\",\"password\":\"guess-" + i + "\"}");
                unknown.add(System.nanoTime() - t0);
                t0 = System.nanoTime();
                HttpResponse<String> b = c.send("POST", "/api/auth/login", (String) null,
                        "{\"username\":\"max\",\"password\":\"guess-" + i + "\"}");
                wrongPassword.add(System.nanoTime() - t0);
                assertThat(a.statusCode()).isEqualTo(401).isEqualTo(b.statusCode());
                assertThat(a.body()).isEqualTo(b.body());
                first = a;
            }
            assertThat(first.body()).contains("Invalid username or password");
            // a name without an account still costs a full password hash (not a fast "no such user")
            assertThat(unknown.stream().mapToLong(Long::longValue).min().orElseThrow())
                    .isGreaterThan(wrongPassword.stream().mapToLong(Long::longValue).min().orElseThrow() / 4);

            // 4 failures so far: one more is free, then each attempt waits its turn
            c.send("GET", "/api/whoami-v2", "hf_" + "x".repeat(34), null);
            long t0 = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                assertThat(c.send("GET", "/api/whoami-v2", "hf_" + "y".repeat(34), null).statusCode()).isEqualTo(401);
            }
            long slowed = (System.nanoTime() - t0) / 1_000_000;
            assertThat(slowed).as("ms for 3 guesses after 5 failures").isGreaterThanOrEqualTo(700);
            // the right password still works, after its turn
            ok(c.send("POST", "/api/auth/login", (String) null, "{\"username\":\"max\",\"password\":\"max-password-1\"}"));
            List<JsonNode> failed = new ArrayList<>();
            json(ok(c.get("/api/admin/audit?action=signin.failed", TestHub.ADMIN_TOKEN))).forEach(failed::add);
            assertThat(failed).hasSize(4);
        }
    }
}
