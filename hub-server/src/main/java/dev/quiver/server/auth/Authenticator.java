package dev.quiver.server.auth;

import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns a request's credentials into a {@link Caller}. In order: {@code Authorization: Bearer <x>}
 * (the HF clients, CI) or HTTP Basic with {@code <x>} as password (git), where {@code x} is a hub
 * access token ({@code hf_…}) or, when an identity provider is configured, its JWT access token;
 * then the browser session cookie. No credentials is anonymous; credentials that match nothing are a
 * 401 with one message whatever was wrong, as on the Hub. Every check of presented credentials first
 * waits its turn in the {@link FailureThrottle}. A state-changing request authenticated by the session
 * cookie must carry the session's CSRF token ({@code X-CSRF-Token} header or {@code csrf} parameter),
 * or come from a browser that marks it same-origin ({@code Sec-Fetch-Site}).
 */
public final class Authenticator {
    private static final Logger LOG = Logger.getLogger(Authenticator.class.getName());
    public static final String SESSION_COOKIE = "quiver_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Set<Method> SAFE = Set.of(Method.GET, Method.HEAD, Method.OPTIONS);

    private final TokenService tokens;
    private final UserStore users;
    private final MembershipStore memberships;
    private final SessionStore sessions;
    private final FailureThrottle throttle;
    private final Optional<OidcBearer> oidc;

    /** The identity provider's part: token checks and the accounts they map to. */
    public record OidcBearer(OidcProvider provider, JwtVerifier verifier, OidcAccounts accounts) {
        public OidcConfig config() {
            return provider.config();
        }
    }

    public Authenticator(TokenService tokens, UserStore users, MembershipStore memberships, SessionStore sessions,
            FailureThrottle throttle, Optional<OidcBearer> oidc) {
        this.tokens = tokens;
        this.users = users;
        this.memberships = memberships;
        this.sessions = sessions;
        this.throttle = throttle;
        this.oidc = oidc;
    }

    public Caller authenticate(ServerRequest req) {
        Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
        if (header.isPresent()) {
            String source = source(req);
            throttle.awaitTurn(source);
            try {
                return fromCredential(secret(header.get().strip()), source);
            } catch (QuiverException e) {
                if (e.reason() == Reason.UNAUTHORIZED) {
                    throttle.failed(source);
                }
                throw e;
            }
        }
        Optional<String> cookie = cookie(req, SESSION_COOKIE);
        if (cookie.isPresent()) {
            return fromSession(req, cookie.get());
        }
        return Caller.anonymous();
    }

    /** The caller a bare credential (access token or identity-provider JWT) stands for. */
    private Caller fromCredential(String secret, String source) {
        if (secret.startsWith("hf_")) {
            AccessToken token = tokens.find(secret).orElseThrow(Authenticator::invalid);
            User user = users.byId(token.userId()).orElseThrow(Authenticator::invalid);
            tokens.touch(token);
            return Caller.of(user, token, memberships.rolesOf(user.id()));
        }
        if (oidc.isPresent() && JwtVerifier.looksLikeJwt(secret)) {
            try {
                var claims = oidc.get().verifier().verify(secret, JwtVerifier.Expect.accessToken(oidc.get().config()));
                return oidc.get().accounts().caller(claims, Caller.Via.OIDC, source);
            } catch (JwtVerifier.InvalidToken e) {
                LOG.log(Level.FINE, "refused a bearer JWT from " + source + ": " + e.getMessage());
                throw invalid();
            }
        }
        throw invalid();
    }

    private Caller fromSession(ServerRequest req, String cookie) {
        Optional<SessionStore.Session> session = sessions.find(cookie);
        if (session.isEmpty()) {
            return Caller.anonymous();
        }
        if (!SAFE.contains(req.prologue().method()) && !sameOriginBrowser(req)) {
            String sent = req.headers().first(io.helidon.http.HeaderNames.create(CSRF_HEADER))
                    .orElseGet(() -> req.query().contains("csrf") ? req.query().get("csrf") : "");
            if (!MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                    session.get().csrf().getBytes(StandardCharsets.UTF_8))) {
                throw new QuiverException(Reason.FORBIDDEN, "Missing or wrong CSRF token: send the " + CSRF_HEADER
                        + " header from /api/auth/session");
            }
        }
        User user = users.byId(session.get().userId()).orElseThrow(Authenticator::invalid);
        return Caller.signedIn(user, memberships.rolesOf(user.id()), Caller.Via.SESSION);
    }

    /**
     * Whether a browser says the request comes from the hub's own pages ({@code Sec-Fetch-Site:
     * same-origin}, a header pages cannot set), so a plain HTML form (sign-out) needs no token.
     */
    private static boolean sameOriginBrowser(ServerRequest req) {
        return req.headers().first(HeaderNames.create("Sec-Fetch-Site")).map("same-origin"::equals).orElse(false);
    }

    /** The client address failures are counted against. */
    public static String source(ServerRequest req) {
        return req.remotePeer().host();
    }

    /** A cookie's value from the request's {@code Cookie} headers. */
    public static Optional<String> cookie(ServerRequest req, String name) {
        for (String header : req.headers().all(HeaderNames.COOKIE, java.util.List::of)) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).strip().equals(name)) {
                    return Optional.of(pair.substring(eq + 1).strip()).filter(v -> !v.isEmpty());
                }
            }
        }
        return Optional.empty();
    }

    private static String secret(String header) {
        int space = header.indexOf(' ');
        String scheme = space < 0 ? "" : header.substring(0, space);
        String value = space < 0 ? "" : header.substring(space + 1).strip();
        if (scheme.equalsIgnoreCase("Bearer")) {
            return value;
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            try {
                String pair = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                return colon < 0 ? pair : pair.substring(colon + 1);
            } catch (IllegalArgumentException e) {
                throw invalid();
            }
        }
        throw invalid();
    }

    public static QuiverException invalid() {
        return new QuiverException(Reason.UNAUTHORIZED, "Invalid credentials in Authorization header");
    }
}
