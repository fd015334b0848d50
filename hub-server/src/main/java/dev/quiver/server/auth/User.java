package dev.quiver.server.auth;

import java.time.Instant;

/** A person (or, with {@code isOrg}, an organization) known to the hub. */
public record User(long id, String name, String fullname, String email, boolean isAdmin, boolean isOrg,
        Instant createdAt) {
}
