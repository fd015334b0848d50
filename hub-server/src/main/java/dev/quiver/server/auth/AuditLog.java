package dev.quiver.server.auth;

import dev.quiver.server.db.Database;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Security-relevant events, kept in the database for admins to query: sign-ins and failed ones,
 * token creation and revocation, account and membership changes, visibility changes and deletions.
 * Entries are never updated or deleted by the hub.
 */
public final class AuditLog {
    private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());
    public static final int MAX_LIMIT = 1000;

    private final Database db;

    public AuditLog(Database db) {
        this.db = db;
    }

    /** One recorded event. {@code source} is the client address it came from, when known. */
    public record Event(long id, Instant at, String actor, String action, String target, String detail,
            String source) {
    }

    /** What to list: the newest {@code limit} events before {@code beforeId}, optionally of one action or actor. */
    public record Query(Optional<String> action, Optional<String> actor, Optional<Long> beforeId, int limit) {
        public Query {
            limit = Math.max(1, Math.min(limit, MAX_LIMIT));
        }
    }

    public void record(String actor, String action, String target, String detail, String source) {
        // names and details may come from a client: one printable line each, bounded
        String who = clean(actor);
        String what = clean(target);
        String more = clean(detail);
        Instant now = Instant.now();
        db.update("INSERT INTO audit_log (at, actor, action, target, detail, source) VALUES (?, ?, ?, ?, ?, ?)",
                now.toString(), who, action, what, more, source);
        LOG.info(() -> "audit " + action + " by " + who + " on " + what + (more.isEmpty() ? "" : " (" + more + ")")
                + (source.isEmpty() ? "" : " from " + source));
    }

    private static String clean(String s) {
        String line = s.replaceAll("\\p{Cntrl}", "?");
        return line.length() > 500 ? line.substring(0, 500) : line;
    }

    public void record(Caller actor, String action, String target, String detail, String source) {
        record(actor.name(), action, target, detail, source);
    }

    /** Newest first. */
    public List<Event> query(Query q) {
        StringBuilder sql = new StringBuilder("SELECT * FROM audit_log WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        q.action().ifPresent(a -> {
            sql.append(" AND action = ?");
            args.add(a);
        });
        q.actor().ifPresent(a -> {
            sql.append(" AND actor = ?");
            args.add(a);
        });
        q.beforeId().ifPresent(b -> {
            sql.append(" AND id < ?");
            args.add(b);
        });
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(q.limit());
        return db.query(sql.toString(), r -> new Event(r.getLong("id"), Instant.parse(r.getString("at")),
                r.getString("actor"), r.getString("action"), r.getString("target"), r.getString("detail"),
                r.getString("source")), args.toArray());
    }
}
