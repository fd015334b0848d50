package dev.quiver.server.auth;

import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import dev.quiver.server.db.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Users and organizations, which share one namespace (both own repositories). Local accounts may
 * have a password hash; accounts from the identity provider are tied to its subject.
 */
public final class UserStore {
    /** Names follow the repository-owner rules of the HF clients. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,96}");

    private final Database db;

    public UserStore(Database db) {
        this.db = db;
    }

    /** Whether {@code name} may name a user or an organization. */
    public static boolean validName(String name) {
        return NAME.matcher(name).matches() && !name.contains("--") && !name.contains("..")
                && !name.startsWith("-") && !name.startsWith(".") && !name.endsWith("-") && !name.endsWith(".");
    }

    public Optional<User> byId(long id) {
        return db.queryOne("SELECT * FROM users WHERE id = ?", UserStore::row, id);
    }

    public Optional<User> byName(String name) {
        return db.queryOne("SELECT * FROM users WHERE name = ?", UserStore::row, name);
    }

    public Optional<User> byOidcSubject(String subject) {
        return db.queryOne("SELECT * FROM users WHERE oidc_subject = ?", UserStore::row, subject);
    }

    /** Every user (or every organization), by name. */
    public List<User> list(boolean orgs) {
        return db.query("SELECT * FROM users WHERE is_org = ? ORDER BY name", UserStore::row, orgs ? 1 : 0);
    }

    public User create(String name, String fullname, String email, boolean isAdmin, boolean isOrg) {
        return insert(name, fullname, email, isAdmin, isOrg, "local", Optional.empty());
    }

    /** A user met for the first time in an identity provider's token. */
    public User createFromOidc(String name, String fullname, String email, String subject) {
        return insert(name, fullname, email, false, false, "oidc", Optional.of(subject));
    }

    /** An organization named by the identity provider's groups. */
    public User createOidcOrg(String name) {
        return insert(name, name, "", false, true, "oidc", Optional.empty());
    }

    private User insert(String name, String fullname, String email, boolean isAdmin, boolean isOrg, String source,
            Optional<String> subject) {
        if (!validName(name)) {
            throw QuiverException.badRequest("invalid name '" + name + "': use 1-96 letters, digits, '-', '_' or"
                    + " '.', without '--' or '..', not starting or ending with '-' or '.'");
        }
        if (fullname.length() > 200 || email.length() > 200) {
            throw QuiverException.badRequest("full name and email are at most 200 characters");
        }
        int added = db.update("INSERT INTO users (name, fullname, email, is_admin, is_org, created_at, source, "
                + "oidc_subject) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", name, fullname, email,
                isAdmin ? 1 : 0, isOrg ? 1 : 0, Instant.now().toString(), source, subject.orElse(null));
        if (added == 0) {
            throw new QuiverException(Reason.CONFLICT, "the name " + name + " is taken");
        }
        return byName(name).orElseThrow();
    }

    /** Keeps an identity provider's user's profile and admin flag as its latest token says. */
    public void updateFromOidc(long id, String fullname, String email, boolean isAdmin) {
        db.update("UPDATE users SET fullname = ?, email = ?, is_admin = ? WHERE id = ? AND (fullname <> ? OR email <> ?"
                + " OR is_admin <> ?)", fullname, email, isAdmin ? 1 : 0, id, fullname, email, isAdmin ? 1 : 0);
    }

    public void setAdmin(long id, boolean isAdmin) {
        db.update("UPDATE users SET is_admin = ? WHERE id = ?", isAdmin ? 1 : 0, id);
    }

    public void setPasswordHash(long id, String hash) {
        db.update("UPDATE users SET password_hash = ? WHERE id = ?", hash, id);
    }

    /** The stored password hash of a local person (not an organization), if it has one. */
    public Optional<String> passwordHash(long id) {
        return db.queryOne("SELECT password_hash FROM users WHERE id = ? AND is_org = 0 AND source = 'local'",
                r -> Optional.ofNullable(r.getString(1)), id).flatMap(h -> h);
    }

    /** Whether the account is the hub's own rather than the identity provider's. */
    public boolean isLocal(long id) {
        return db.queryOne("SELECT source FROM users WHERE id = ?", r -> r.getString(1), id).map("local"::equals)
                .orElse(false);
    }

    private static User row(ResultSet r) throws SQLException {
        return new User(r.getLong("id"), r.getString("name"), r.getString("fullname"), r.getString("email"),
                r.getInt("is_admin") != 0, r.getInt("is_org") != 0, Instant.parse(r.getString("created_at")));
    }
}
