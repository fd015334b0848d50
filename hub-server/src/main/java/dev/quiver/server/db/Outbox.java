package dev.quiver.server.db;

import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.repo.RepoId;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The durable log of repository changes that subscribers (search, training triggers, webhooks) read.
 *
 * <p>A ref update is staged as {@code pending} before the ref moves and confirmed after it, so a
 * crash between the two is healed by {@link #recover}: a pending event whose commit landed is
 * confirmed, one whose commit did not is dropped. Subscribers only ever see confirmed events.
 */
public final class Outbox {
    /** The sequence number of the oldest pending event, or one past every possible one. */
    private static final String FIRST_PENDING =
            "COALESCE((SELECT MIN(seq) FROM outbox WHERE state = 'pending'), 9223372036854775807)";

    private final Database db;
    private final Object signal = new Object();

    public Outbox(Database db) {
        this.db = db;
    }

    /** Records an event as pending and returns its sequence number. */
    public long stage(RepoEvent.Kind kind, RepoId repo, String ref, String oldId, String newId) {
        return db.transaction(c -> insert(c, kind, repo, ref, oldId, newId, "pending"));
    }

    /** Records an event that is true already (repository created, deleted, settings changed). */
    public long append(RepoEvent.Kind kind, RepoId repo) {
        long seq = db.transaction(c -> insert(c, kind, repo, "", "", "", "done"));
        wake();
        return seq;
    }

    /** Records a fact about a repository that has a subject ({@code ref}) and an outcome ({@code value}). */
    public long append(RepoEvent.Kind kind, RepoId repo, String ref, String value) {
        long seq = db.transaction(c -> insert(c, kind, repo, ref, "", value, "done"));
        wake();
        return seq;
    }

    /** Appends inside a caller's transaction, for changes made in the database itself. */
    public long append(Connection c, RepoEvent.Kind kind, RepoId repo) throws SQLException {
        return insert(c, kind, repo, "", "", "", "done");
    }

    /** Appends a fact with a subject and an outcome inside a caller's transaction; see {@link #wake}. */
    public long append(Connection c, RepoEvent.Kind kind, RepoId repo, String ref, String value) throws SQLException {
        return insert(c, kind, repo, ref, "", value, "done");
    }

    public void confirm(long seq) {
        db.update("UPDATE outbox SET state = 'done' WHERE seq = ?", seq);
        wake();
    }

    public void discard(long seq) {
        db.update("DELETE FROM outbox WHERE seq = ? AND state = 'pending'", seq);
    }

    /** Settles events left pending by a crash: {@code landed} says whether an event's commit is on its ref. */
    public void recover(Predicate<RepoEvent> landed) {
        for (RepoEvent e : db.query("SELECT * FROM outbox WHERE state = 'pending' ORDER BY seq", Outbox::row)) {
            if (landed.test(e)) {
                confirm(e.seq());
            } else {
                discard(e.seq());
            }
        }
    }

    /**
     * Confirmed events after {@code seq}, oldest first, stopping before the first event still pending:
     * a pending event is confirmed after later ones may have been appended, and a subscriber that read
     * past it would save an offset beyond it and never see it.
     */
    public List<RepoEvent> after(long seq, int limit) {
        return db.query("SELECT * FROM outbox WHERE state = 'done' AND seq > ? AND seq < " + FIRST_PENDING
                + " ORDER BY seq LIMIT ?", Outbox::row, seq, limit);
    }

    /** The last event such that it and every event before it are settled (none is pending). */
    public long lastSeq() {
        return db.queryOne("SELECT COALESCE(MAX(seq), 0) FROM outbox WHERE state = 'done' AND seq < " + FIRST_PENDING,
                r -> r.getLong(1)).orElse(0L);
    }

    public long offset(String subscriber) {
        return db.queryOne("SELECT seq FROM subscriber_offsets WHERE subscriber = ?", r -> r.getLong(1), subscriber)
                .orElse(0L);
    }

    public void saveOffset(String subscriber, long seq) {
        db.update("INSERT INTO subscriber_offsets (subscriber, seq) VALUES (?, ?) "
                + "ON CONFLICT (subscriber) DO UPDATE SET seq = excluded.seq", subscriber, seq);
    }

    /** Blocks until something is confirmed or {@code millis} pass. */
    public void awaitChange(long millis) throws InterruptedException {
        synchronized (signal) {
            signal.wait(millis);
        }
    }

    /**
     * Tells subscribers to read now rather than at their next poll: for a caller whose own transaction
     * appended events, once it has committed.
     */
    public void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private static long insert(Connection c, RepoEvent.Kind kind, RepoId repo, String ref, String oldId,
            String newId, String state) throws SQLException {
        return Database.insert(c, "INSERT INTO outbox (kind, repo_type, owner, name, ref, old_id, new_id, state, "
                + "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", kind.name(), repo.type().name(), repo.owner(),
                repo.name(), ref, oldId, newId, state, Instant.now().toString());
    }

    private static RepoEvent row(ResultSet r) throws SQLException {
        RepoId repo = new RepoId(RepoType.valueOf(r.getString("repo_type").toUpperCase(Locale.ROOT)),
                r.getString("owner"), r.getString("name"));
        return new RepoEvent(r.getLong("seq"), RepoEvent.Kind.valueOf(r.getString("kind")), repo,
                r.getString("ref"), r.getString("old_id"), r.getString("new_id"),
                Instant.parse(r.getString("created_at")));
    }
}
