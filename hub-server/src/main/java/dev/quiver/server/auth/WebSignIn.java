package dev.quiver.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.schema.json.Json;
import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Browser sign-in through the identity provider: the authorization code flow with PKCE (S256), a
 * {@code state} bound to the browser by a cookie, and a {@code nonce} checked in the ID token. The
 * code is exchanged at the provider's token endpoint; the access token then goes through the same
 * checks and account mapping as a bearer token, and a hub session is made. Pending sign-ins live in
 * memory for {@link #PENDING_FOR}.
 */
public final class WebSignIn {
    static final Duration PENDING_FOR = Duration.ofMinutes(10);
    private static final int MAX_PENDING = 10_000;

    private final Authenticator.OidcBearer oidc;
    private final SessionStore sessions;
    private final AuditLog audit;
    private final Clock clock;
    private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();

    private record Pending(String verifier, String nonce, String next, String redirectUri, Instant at) {
    }

    /** Where to send the browser, and the state to bind to it by cookie. */
    public record Start(String state, String url) {
    }

    /** A finished sign-in: the new session, whose it is, and where the browser was going. */
    public record Finished(SessionStore.NewSession session, User user, String next) {
    }

    public WebSignIn(Authenticator.OidcBearer oidc, SessionStore sessions, AuditLog audit, Clock clock) {
        this.oidc = oidc;
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
    }

    /** Starts a sign-in that comes back to {@code redirectUri} and then goes on to the local path {@code next}. */
    public Start begin(String redirectUri, String next) {
        Instant now = clock.instant();
        pending.values().removeIf(p -> p.at().plus(PENDING_FOR).isBefore(now));
        if (pending.size() >= MAX_PENDING) {
            throw new QuiverException(Reason.UNAVAILABLE, "Too many sign-ins in progress: try again in a minute");
        }
        String state = SessionStore.random();
        String verifier = SessionStore.random();
        String nonce = SessionStore.random();
        pending.put(state, new Pending(verifier, nonce, next, redirectUri, now));
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", oidc.config().clientId());
        q.put("redirect_uri", redirectUri);
        q.put("scope", "openid profile email");
        q.put("state", state);
        q.put("nonce", nonce);
        q.put("code_challenge", challenge(verifier));
        q.put("code_challenge_method", "S256");
        return new Start(state, oidc.provider().endpoints().authorization() + "?" + form(q));
    }

    /**
     * Finishes a sign-in: {@code state} must be the one this browser started ({@code boundState}, from
     * its cookie) and still pending; the code is exchanged and the tokens checked.
     */
    public Finished finish(String state, String code, String boundState, String source) {
        if (state.isEmpty() || !MessageDigest.isEqual(state.getBytes(StandardCharsets.UTF_8),
                boundState.getBytes(StandardCharsets.UTF_8))) {
            throw QuiverException.badRequest("This sign-in was not started in this browser: start again");
        }
        Pending p = pending.remove(state);
        if (p == null || p.at().plus(PENDING_FOR).isBefore(clock.instant())) {
            throw QuiverException.badRequest("This sign-in expired: start again");
        }
        JsonNode tokens = exchange(code, p);
        try {
            JsonNode id = oidc.verifier().verify(tokens.path("id_token").asText(""),
                    JwtVerifier.Expect.idToken(oidc.config(), p.nonce()));
            JsonNode access = oidc.verifier().verify(tokens.path("access_token").asText(""),
                    JwtVerifier.Expect.accessToken(oidc.config()));
            if (!id.path("sub").asText().equals(access.path("sub").asText())) {
                throw new JwtVerifier.InvalidToken("ID and access tokens are for different subjects");
            }
            Caller caller = oidc.accounts().caller(access, Caller.Via.SESSION, source);
            User user = caller.user().orElseThrow();
            SessionStore.NewSession session = sessions.create(user.id());
            audit.record(user.name(), "signin", "identity provider", "", source);
            return new Finished(session, user, p.next());
        } catch (JwtVerifier.InvalidToken e) {
            audit.record("unknown", "signin.failed", "identity provider", e.getMessage(), source);
            throw new QuiverException(Reason.UNAUTHORIZED, "The identity provider's answer did not check out");
        }
    }

    /** Where to send a browser that signed out, so the provider ends its session too. */
    public Optional<String> endSessionUrl(String returnTo) {
        return oidc.provider().endpoints().endSession().map(url -> url + "?" + form(Map.of(
                "client_id", oidc.config().clientId(), "post_logout_redirect_uri", returnTo)));
    }

    private JsonNode exchange(String code, Pending p) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grant_type", "authorization_code");
        f.put("code", code);
        f.put("redirect_uri", p.redirectUri());
        f.put("client_id", oidc.config().clientId());
        f.put("code_verifier", p.verifier());
        oidc.config().clientSecret().ifPresent(s -> f.put("client_secret", s));
        try {
            HttpResponse<byte[]> r = oidc.provider().http().send(HttpRequest.newBuilder(
                    URI.create(oidc.provider().endpoints().token())).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(form(f))).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new QuiverException(Reason.UNAUTHORIZED, "The identity provider refused the sign-in code");
            }
            return Json.mapper().readTree(r.body());
        } catch (IOException e) {
            throw new QuiverException(Reason.UNAVAILABLE, "The identity provider cannot be reached", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QuiverException(Reason.UNAVAILABLE, "interrupted", e);
        }
    }

    static String challenge(String verifier) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sha);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }
}
