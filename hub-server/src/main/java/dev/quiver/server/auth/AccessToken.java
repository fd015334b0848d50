package dev.quiver.server.auth;

import java.time.Instant;

/** A stored access token's facts (never its secret): whose it is, its name and its role. */
public record AccessToken(long id, long userId, String displayName, Role role, Instant createdAt) {
    /** What a token may do. */
    public enum Role {
        READ, WRITE;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
