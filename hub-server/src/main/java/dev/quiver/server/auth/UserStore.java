package dev.quiver.server.auth;

import dev.quiver.server.db.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Users and organizations. */
public final class UserStore {
    private final Database db;

    public UserStore(Database db) {
        this.db = db;
    }

    public Optional<User> byId(long id) {
        return db.queryOne("SELECT * FROM users WHERE id = ?", UserStore::row, id);
    }

    public Optional<User> byName(String name) {
        return db.queryOne("SELECT * FROM users WHERE name = ?", UserStore::row, name);
    }

    public User create(String name, String fullname, String email, boolean isAdmin, boolean isOrg) {
        db.update("INSERT INTO users (name, fullname, email, is_admin, is_org, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                name, fullname, email, isAdmin ? 1 : 0, isOrg ? 1 : 0, Instant.now().toString());
        return byName(name).orElseThrow();
    }

    private static User row(ResultSet r) throws SQLException {
        return new User(r.getLong("id"), r.getString("name"), r.getString("fullname"), r.getString("email"),
                r.getInt("is_admin") != 0, r.getInt("is_org") != 0, Instant.parse(r.getString("created_at")));
    }
}
