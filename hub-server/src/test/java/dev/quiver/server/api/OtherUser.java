package dev.quiver.server.api;

import dev.quiver.server.TestHub;
import dev.quiver.server.auth.AccessToken;
import dev.quiver.server.auth.TokenService;
import dev.quiver.server.auth.UserStore;
import dev.quiver.server.db.Database;

/** A second, non-admin user of a test hub, created in its database, with a write token. */
final class OtherUser {
    private OtherUser() {
    }

    /** Creates user {@code name} and returns a token of theirs. */
    static String token(TestHub hub, String name) {
        try (Database db = Database.open(hub.dataDir().resolve("quiver.db"))) {
            var user = new UserStore(db).create(name, name, name + "@example.com", false, false);
            String secret = TokenService.newSecret();
            new TokenService(db).store(user, "test", AccessToken.Role.WRITE, secret);
            return secret;
        }
    }
}
