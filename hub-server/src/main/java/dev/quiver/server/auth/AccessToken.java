package dev.quiver.server.auth;

import dev.quiver.server.repo.RepoId;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A stored access token's facts (never its secret): whose it is, its name, its role, and the
 * repositories it is limited to (none: every repository its user may use).
 */
public record AccessToken(long id, long userId, String displayName, Role role, Instant createdAt,
        List<RepoId> repos, Optional<Instant> lastUsedAt) {
    public AccessToken {
        repos = List.copyOf(repos);
    }

    /** What a token may do. */
    public enum Role {
        READ, WRITE;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Role> parse(String wire) {
            for (Role r : values()) {
                if (r.wire().equals(wire)) {
                    return Optional.of(r);
                }
            }
            return Optional.empty();
        }
    }

    public boolean isLimited() {
        return !repos.isEmpty();
    }

    /** Whether this token may be used on {@code repo} at all. */
    public boolean covers(RepoId repo) {
        return repos.isEmpty() || repos.contains(repo);
    }
}
