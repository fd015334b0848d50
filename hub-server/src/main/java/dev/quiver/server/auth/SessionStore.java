package dev.quiver.server.auth;

import dev.quiver.server.db.Database;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Browser sessions. The cookie value is 256 random bits; only its SHA-256 is stored, beside the user,
 * an expiry and the session's CSRF token.
 */
public final class SessionStore {
    public static final Duration LIFETIME = Duration.ofHours(12);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;

    public SessionStore(Database db) {
        this.db = db;
    }

    /** A live session: whose it is and the CSRF token its page must send back. */
    public record Session(long userId, String csrf, Instant expiresAt) {
    }

    /** A session just made: the cookie value (kept only by the browser) and the session. */
    public record NewSession(String cookie, Session session) {
    }

    public static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public NewSession create(long userId) {
        String cookie = random();
        Instant now = Instant.now();
        Session session = new Session(userId, random(), now.plus(LIFETIME));
        db.transaction(c -> {
            Database.update(c, "DELETE FROM sessions WHERE expires_at < ?", now.toString());
            return Database.update(c, "INSERT INTO sessions (id_hash, user_id, csrf, created_at, expires_at) VALUES "
                    + "(?, ?, ?, ?, ?)", TokenService.hash(cookie), userId, session.csrf(), now.toString(),
                    session.expiresAt().toString());
        });
        return new NewSession(cookie, session);
    }

    public Optional<Session> find(String cookie) {
        if (cookie.length() != 43) {
            return Optional.empty();
        }
        return db.queryOne("SELECT user_id, csrf, expires_at FROM sessions WHERE id_hash = ?", r -> new Session(
                r.getLong(1), r.getString(2), Instant.parse(r.getString(3))), TokenService.hash(cookie))
                .filter(s -> s.expiresAt().isAfter(Instant.now()));
    }

    public void delete(String cookie) {
        db.update("DELETE FROM sessions WHERE id_hash = ?", TokenService.hash(cookie));
    }
}
