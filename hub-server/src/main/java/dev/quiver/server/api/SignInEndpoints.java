package dev.quiver.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import dev.quiver.server.auth.AccountService;
import dev.quiver.server.auth.Authenticator;
import dev.quiver.server.auth.SessionStore;
import dev.quiver.server.auth.TokenService;
import dev.quiver.server.auth.User;
import dev.quiver.server.auth.WebSignIn;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Signing in and out. Browsers: {@code GET /login} (to the identity provider with PKCE, or a local
 * password form when none is configured), {@code POST /login} (the form), {@code GET /oauth/callback},
 * {@code POST /logout} (needs the CSRF token). Scripts and the CLI: {@code POST /api/auth/login}
 * (a session for a local account), {@code POST /api/auth/token} (a new access token for a local
 * account's name and password), and {@code GET /api/auth/session} (who is signed in, with the CSRF
 * token the page sends back as {@code X-CSRF-Token}).
 */
public final class SignInEndpoints {
    private static final String LOGIN_COOKIE = "quiver_login";

    private final AccountService accounts;
    private final SessionStore sessions;
    private final Optional<WebSignIn> web;

    public SignInEndpoints(AccountService accounts, SessionStore sessions, Optional<WebSignIn> web) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.web = web;
    }

    public void routes(Router.Builder r) {
        r.get("/api/auth/session", this::session);
        r.post("/api/auth/login", this::apiLogin);
        r.post("/api/auth/token", this::apiToken);
        r.get("/login", this::loginPage);
        r.post("/login", this::formLogin);
        r.get("/oauth/callback", this::callback);
        r.post("/logout", this::logout);
    }

    private void session(Call call) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("signedIn", !call.caller().isAnonymous());
        call.caller().user().ifPresent(u -> body.put("name", u.name()));
        cookieSession(call).ifPresent(s -> body.put("csrfToken", s.csrf()));
        body.put("identityProvider", web.isPresent());
        body.put("loginUrl", "/login");
        call.sendJson(body);
    }

    private void apiLogin(Call call) {
        JsonNode b = call.json();
        User user = accounts.passwordSignIn(b.path("username").asText(""), b.path("password").asText(""), source(call));
        SessionStore.NewSession s = startSession(call, user);
        call.sendJson(Map.of("name", user.name(), "csrfToken", s.session().csrf()));
    }

    private void apiToken(Call call) {
        JsonNode b = call.json();
        User user = accounts.passwordSignIn(b.path("username").asText(""), b.path("password").asText(""), source(call));
        TokenEndpoints.Request req = TokenEndpoints.Request.parse(b);
        TokenService.NewToken made = accounts.createTokenAfterSignIn(user, req.name(), req.role(), req.repos(),
                source(call));
        Map<String, Object> o = TokenEndpoints.json(made.token());
        o.put("token", made.secret());
        call.sendJson(o);
    }

    private void loginPage(Call call) {
        String next = localPath(call.query("next").orElse("/"));
        if (!call.caller().isAnonymous()) {
            redirect(call, next);
            return;
        }
        if (web.isPresent()) {
            WebSignIn.Start start = web.get().begin(call.baseUrl() + "/oauth/callback", next);
            call.header("Set-Cookie", cookie(call, LOGIN_COOKIE, start.state(), "/oauth/callback", 600));
            call.header("Cache-Control", "no-store");
            call.response().status(Status.FOUND_302);
            call.response().header(HeaderNames.LOCATION, start.url());
            call.response().send();
            return;
        }
        sendForm(call, 200, next, false);
    }

    private void formLogin(Call call) {
        requireSameOrigin(call);
        Map<String, String> form = form(call.body(64 * 1024));
        String next = localPath(form.getOrDefault("next", "/"));
        try {
            User user = accounts.passwordSignIn(form.getOrDefault("username", ""), form.getOrDefault("password", ""),
                    source(call));
            startSession(call, user);
            redirect(call, next);
        } catch (QuiverException e) {
            if (e.reason() != Reason.UNAUTHORIZED) {
                throw e;
            }
            sendForm(call, 401, next, true);
        }
    }

    private void callback(Call call) {
        WebSignIn signIn = web.orElseThrow(() -> new QuiverException(Reason.NOT_FOUND, "No identity provider is configured"));
        if (call.query("error").isPresent()) {
            throw new QuiverException(Reason.UNAUTHORIZED, "The identity provider did not sign you in: "
                    + call.query("error").get());
        }
        WebSignIn.Finished done = signIn.finish(call.query("state").orElse(""), call.query("code").orElse(""),
                Authenticator.cookie(call.request(), LOGIN_COOKIE).orElse(""), source(call));
        call.response().headers().add(HeaderNames.create("Set-Cookie"),
                cookie(call, LOGIN_COOKIE, "", "/oauth/callback", 0));
        call.response().headers().add(HeaderNames.create("Set-Cookie"), cookie(call, Authenticator.SESSION_COOKIE,
                done.session().cookie(), "/", SessionStore.LIFETIME.toSeconds()));
        redirect(call, done.next());
    }

    private void logout(Call call) {
        Authenticator.cookie(call.request(), Authenticator.SESSION_COOKIE).ifPresent(c -> {
            sessions.delete(c);
            accounts.signedOut(call.caller(), source(call));
        });
        call.header("Set-Cookie", cookie(call, Authenticator.SESSION_COOKIE, "", "/", 0));
        String home = call.baseUrl() + "/";
        redirect(call, web.flatMap(w -> w.endSessionUrl(home)).orElse("/"));
    }

    private SessionStore.NewSession startSession(Call call, User user) {
        SessionStore.NewSession s = sessions.create(user.id());
        call.header("Set-Cookie", cookie(call, Authenticator.SESSION_COOKIE, s.cookie(), "/",
                SessionStore.LIFETIME.toSeconds()));
        return s;
    }

    private Optional<SessionStore.Session> cookieSession(Call call) {
        if (call.caller().via() != dev.quiver.server.auth.Caller.Via.SESSION) {
            return Optional.empty();
        }
        return Authenticator.cookie(call.request(), Authenticator.SESSION_COOKIE).flatMap(sessions::find);
    }

    /** A cookie the page's scripts cannot read, not sent on cross-site subrequests, HTTPS-only behind TLS. */
    static String cookie(Call call, String name, String value, String path, long maxAge) {
        boolean secure = call.baseUrl().startsWith("https://");
        return name + "=" + value + "; Path=" + path + "; Max-Age=" + maxAge + "; HttpOnly; SameSite=Lax"
                + (secure ? "; Secure" : "");
    }

    /** A browser form post must come from the hub's own pages when the browser says where it came from. */
    private static void requireSameOrigin(Call call) {
        Optional<String> origin = call.header(HeaderNames.ORIGIN);
        if (origin.isPresent() && !origin.get().equals(call.baseUrl())) {
            throw new QuiverException(Reason.FORBIDDEN, "Cross-origin sign-in refused");
        }
    }

    /** Only a path on this hub: never another site (also not {@code //host} or {@code /\host}). */
    static String localPath(String next) {
        boolean local = next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\")
                && next.chars().noneMatch(c -> c < 0x20 || c == '\\') && next.length() < 2000;
        return local ? next : "/";
    }

    private static void redirect(Call call, String location) {
        call.header("Cache-Control", "no-store");
        call.response().status(Status.SEE_OTHER_303);
        call.response().header(HeaderNames.LOCATION, location);
        call.response().send();
    }

    private static String source(Call call) {
        return Authenticator.source(call.request());
    }

    static Map<String, String> form(byte[] body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            try {
                out.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw QuiverException.badRequest("malformed form body");
            }
        }
        return out;
    }

    private static void sendForm(Call call, int status, String next, boolean failed) {
        String html = """
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in · Quiver</title></head>
                <body><main><h1>Sign in to Quiver</h1>%s
                <form method="post" action="/login">
                <input type="hidden" name="next" value="%s">
                <label>Username <input name="username" autocomplete="username" required></label>
                <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
                <button type="submit">Sign in</button></form></main></body></html>
                """.formatted(failed ? "<p role=\"alert\">Invalid username or password</p>" : "", escape(next));
        call.header("Cache-Control", "no-store");
        call.header("Content-Security-Policy", "default-src 'none'; form-action 'self'; frame-ancestors 'none'");
        call.sendText(status, "text/html; charset=utf-8", html);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
