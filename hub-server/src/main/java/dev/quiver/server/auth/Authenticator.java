package dev.quiver.server.auth;

import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Turns a request's credentials into a {@link Caller}: {@code Authorization: Bearer <token>} (the HF
 * clients) or HTTP Basic with the token as password (git). No credentials is anonymous; credentials
 * that match nothing are a 401, as on the Hub.
 */
public final class Authenticator {
    private final TokenService tokens;
    private final UserStore users;

    public Authenticator(TokenService tokens, UserStore users) {
        this.tokens = tokens;
        this.users = users;
    }

    public Caller authenticate(ServerRequest req) {
        Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
        if (header.isEmpty()) {
            return Caller.anonymous();
        }
        String secret = secret(header.get().strip());
        AccessToken token = tokens.find(secret).orElseThrow(Authenticator::invalid);
        User user = users.byId(token.userId()).orElseThrow(Authenticator::invalid);
        tokens.touch(token);
        return Caller.of(user, token);
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

    private static QuiverException invalid() {
        return new QuiverException(Reason.UNAUTHORIZED, "Invalid credentials in Authorization header");
    }
}
