package dev.quiver.server.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * A member's role in an organization, weakest first: {@code read} sees the organization's private
 * repositories, {@code write} also creates and changes them, {@code admin} also deletes them, changes
 * their visibility and manages the organization's members.
 */
public enum OrgRole {
    READ, WRITE, ADMIN;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean atLeast(OrgRole other) {
        return compareTo(other) >= 0;
    }

    public static Optional<OrgRole> parse(String wire) {
        for (OrgRole r : values()) {
            if (r.wire().equals(wire)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    public static OrgRole max(OrgRole a, OrgRole b) {
        return a.atLeast(b) ? a : b;
    }
}
