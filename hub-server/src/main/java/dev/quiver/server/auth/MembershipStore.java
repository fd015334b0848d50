package dev.quiver.server.auth;

import dev.quiver.server.db.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Who belongs to which organization, with which role. Memberships granted through the API are
 * {@code local}; those from the identity provider's groups are {@code oidc} and replaced whole by
 * {@link #syncOidc} on every token, so removing a user from a group takes effect with their next
 * token. A user's effective role in an organization is the highest of the two.
 */
public final class MembershipStore {
    private final Database db;

    public MembershipStore(Database db) {
        this.db = db;
    }

    /** A member as listed for an organization. */
    public record Member(String name, OrgRole role, String source) {
    }

    /** Organization name -> the user's effective role there. */
    public Map<String, OrgRole> rolesOf(long userId) {
        Map<String, OrgRole> roles = new HashMap<>();
        db.query("SELECT o.name, m.role FROM memberships m JOIN users o ON o.id = m.org_id WHERE m.user_id = ?",
                r -> {
                    roles.merge(r.getString(1), role(r.getString(2)), OrgRole::max);
                    return null;
                }, userId);
        return Map.copyOf(roles);
    }

    public List<Member> members(long orgId) {
        return db.query("SELECT u.name, m.role, m.source FROM memberships m JOIN users u ON u.id = m.user_id "
                + "WHERE m.org_id = ? ORDER BY u.name, m.source", r -> new Member(r.getString(1), role(r.getString(2)),
                r.getString(3)), orgId);
    }

    /** Grants (or changes) a local membership. */
    public void setLocal(long orgId, long userId, OrgRole role) {
        db.update("INSERT INTO memberships (org_id, user_id, role, source, created_at) VALUES (?, ?, ?, 'local', ?) "
                + "ON CONFLICT (org_id, user_id, source) DO UPDATE SET role = excluded.role", orgId, userId,
                role.wire(), Instant.now().toString());
    }

    /** Removes a local membership; false if there was none. */
    public boolean removeLocal(long orgId, long userId) {
        return db.update("DELETE FROM memberships WHERE org_id = ? AND user_id = ? AND source = 'local'", orgId,
                userId) == 1;
    }

    /** Number of members with the admin role, from any source. */
    public int adminCount(long orgId) {
        return db.queryOne("SELECT COUNT(DISTINCT user_id) FROM memberships WHERE org_id = ? AND role = 'admin'",
                r -> r.getInt(1), orgId).orElse(0);
    }

    /**
     * Makes the user's identity-provider memberships exactly {@code wanted} (org id -> role). Writes
     * only when something changed; returns whether it did.
     */
    public boolean syncOidc(long userId, Map<Long, OrgRole> wanted) {
        return db.transaction(c -> {
            Map<Long, OrgRole> current = new HashMap<>();
            Database.query(c, "SELECT org_id, role FROM memberships WHERE user_id = ? AND source = 'oidc'", r -> {
                current.put(r.getLong(1), role(r.getString(2)));
                return null;
            }, userId);
            if (current.equals(wanted)) {
                return false;
            }
            Database.update(c, "DELETE FROM memberships WHERE user_id = ? AND source = 'oidc'", userId);
            insertAll(c, userId, wanted);
            return true;
        });
    }

    private static void insertAll(Connection c, long userId, Map<Long, OrgRole> wanted) throws SQLException {
        String now = Instant.now().toString();
        for (var e : new ArrayList<>(wanted.entrySet())) {
            Database.update(c, "INSERT INTO memberships (org_id, user_id, role, source, created_at) VALUES (?, ?, ?, "
                    + "'oidc', ?)", e.getKey(), userId, e.getValue().wire(), now);
        }
    }

    private static OrgRole role(String wire) {
        return OrgRole.parse(wire.toLowerCase(Locale.ROOT)).orElse(OrgRole.READ);
    }
}
