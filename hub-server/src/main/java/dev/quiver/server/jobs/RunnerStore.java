package dev.quiver.server.jobs;

import dev.quiver.server.db.Database;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * The runners attached to this hub: known from registration on, with when each was last seen kept to
 * within {@link #SEEN_EVERY}. Writing it on every request (each claim, heartbeat and log batch) cost a
 * synchronous disk flush apiece, the largest share of a claim once the queue was busy.
 */
public final class RunnerStore {
    static final Duration SEEN_EVERY = Duration.ofSeconds(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;

    public RunnerStore(Database db) {
        this.db = db;
    }

    /** A fresh runner id, for {@link #register}. */
    public static String newId() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return "runner-" + HexFormat.of().formatHex(b);
    }

    public void register(String id, String name, String capabilitiesJson, String owner) {
        db.update("INSERT INTO runners (id, name, capabilities, owner, last_seen_at) VALUES (?, ?, ?, ?, ?)", id, name,
                capabilitiesJson, owner, Instant.now().toString());
    }

    /** Notes that runner {@code id} was seen now; false when no runner has that id. */
    public boolean seen(String id) {
        Instant now = Instant.now();
        return db.transaction(c -> {
            List<String> last = Database.query(c, "SELECT last_seen_at FROM runners WHERE id = ?", r -> r.getString(1), id);
            if (last.isEmpty()) {
                return false;
            }
            if (Instant.parse(last.getFirst()).plus(SEEN_EVERY).isBefore(now)) {
                Database.update(c, "UPDATE runners SET last_seen_at = ? WHERE id = ?", now.toString(), id);
            }
            return true;
        });
    }
}
