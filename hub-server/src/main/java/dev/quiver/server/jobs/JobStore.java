package dev.quiver.server.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.quiver.schema.json.Json;
import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.db.Database;
import dev.quiver.server.db.Outbox;
import dev.quiver.server.db.RepoEvent;
import dev.quiver.server.repo.RepoId;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Jobs in the database. Every state change is one transaction that checks the state it expects, so
 * two runners can never hold one job, a runner whose lease lapsed cannot finish it, and a repeated
 * trigger (same dedupe key) never queues a second job. A job that reaches a final state, however it
 * got there (its runner's report, its last lease lapsing, a cancel before it ran), announces it with
 * a {@code JOB_FINISHED} outbox event written in the same transaction.
 */
public final class JobStore {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SELECT = "SELECT * FROM jobs ";

    private final Database db;
    private final Outbox outbox;

    public JobStore(Database db, Outbox outbox) {
        this.db = db;
        this.outbox = outbox;
    }

    /**
     * A store for a tool that opens the database beside a running hub (tests seeding jobs): the hub's
     * subscribers see its events at their next poll rather than at once.
     */
    public JobStore(Database db) {
        this(db, new Outbox(db));
    }

    /** Queues a job unless one with the same key exists; returns the job under that key either way. */
    public Job enqueue(JobKind kind, RepoId repo, String dedupeKey, JobSpec spec, String createdBy) {
        String now = Instant.now().toString();
        return db.transaction(c -> {
            List<Job> existing = Database.query(c, SELECT + "WHERE dedupe_key = ?", JobStore::row, dedupeKey);
            if (!existing.isEmpty()) {
                return existing.getFirst();
            }
            String id = newId();
            Database.update(c, "INSERT INTO jobs (id, kind, repo_type, owner, name, dedupe_key, spec, status, created_by,"
                    + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'QUEUED', ?, ?, ?)", id, kind.name(),
                    repo.type().name(), repo.owner(), repo.name(), dedupeKey, toJson(spec), createdBy, now, now);
            return one(c, id).orElseThrow();
        });
    }

    /** Gives the oldest queued job to {@code runnerId} with a lease, if there is one. */
    public Optional<Job> claim(String runnerId, Duration lease) {
        Instant now = Instant.now();
        return db.transaction(c -> {
            List<String> ids = Database.query(c, "SELECT id FROM jobs WHERE status = 'QUEUED' ORDER BY created_at, id LIMIT 1",
                    r -> r.getString(1));
            if (ids.isEmpty()) {
                return Optional.<Job>empty();
            }
            Database.update(c, "UPDATE jobs SET status = 'RUNNING', runner_id = ?, lease_until = ?, attempts = attempts + 1,"
                    + " started_at = COALESCE(started_at, ?), updated_at = ? WHERE id = ? AND status = 'QUEUED'", runnerId,
                    now.plus(lease).toEpochMilli(), now.toString(), now.toString(), ids.getFirst());
            return one(c, ids.getFirst());
        });
    }

    /** What a heartbeat learns: whether the runner still holds the job, and whether it should stop. */
    public record Heartbeat(boolean held, boolean cancelAsked) {
    }

    public Heartbeat heartbeat(String jobId, String runnerId, Duration lease) {
        Instant now = Instant.now();
        return db.transaction(c -> {
            int n = Database.update(c, "UPDATE jobs SET lease_until = ?, updated_at = ? WHERE id = ? AND runner_id = ?"
                    + " AND status = 'RUNNING'", now.plus(lease).toEpochMilli(), now.toString(), jobId, runnerId);
            boolean cancel = !Database.query(c, "SELECT 1 FROM jobs WHERE id = ? AND cancel_asked = 1", r -> 1, jobId)
                    .isEmpty();
            return new Heartbeat(n == 1, cancel);
        });
    }

    /** Ends a running job held by {@code runnerId}; false when the runner no longer holds it. */
    public boolean finish(String jobId, String runnerId, JobStatus status, String message, Optional<String> commit) {
        String now = Instant.now().toString();
        boolean finished = db.transaction(c -> {
            int n = Database.update(c, "UPDATE jobs SET status = ?, message = ?, result_commit = ?, finished_at = ?,"
                    + " updated_at = ?, lease_until = NULL WHERE id = ? AND runner_id = ? AND status = 'RUNNING'",
                    status.name(), message, commit.orElse(null), now, now, jobId, runnerId);
            if (n == 1) {
                announce(c, jobId, status);
            }
            return n == 1;
        });
        if (finished) {
            outbox.wake();
        }
        return finished;
    }

    /** Puts jobs whose lease lapsed back in the queue, or fails them once they used every attempt. */
    public int requeueExpired() {
        long now = Instant.now().toEpochMilli();
        String iso = Instant.now().toString();
        int changed = db.transaction(c -> {
            List<String> exhausted = Database.query(c, "SELECT id FROM jobs WHERE status = 'RUNNING' AND lease_until < ?"
                    + " AND attempts >= max_attempts", r -> r.getString(1), now);
            for (String id : exhausted) {
                Database.update(c, "UPDATE jobs SET status = 'FAILED', message = 'runner stopped answering; no attempts"
                        + " left', runner_id = NULL, lease_until = NULL, finished_at = ?, updated_at = ? WHERE id = ?", iso,
                        iso, id);
                announce(c, id, JobStatus.FAILED);
            }
            int again = Database.update(c, "UPDATE jobs SET status = 'QUEUED', message = 'runner stopped answering;"
                    + " queued again', runner_id = NULL, lease_until = NULL, updated_at = ? WHERE status = 'RUNNING' AND"
                    + " lease_until < ?", iso, now);
            return exhausted.size() + again;
        });
        if (changed > 0) {
            outbox.wake();
        }
        return changed;
    }

    /**
     * Gives every running job a full lease from now. A lease measures a runner's silence while the hub
     * listens; a hub that was down longer than a lease would otherwise take every running job from
     * runners that kept working and could not reach it to say so.
     */
    public int renewRunningLeases(Duration lease) {
        long until = Instant.now().plus(lease).toEpochMilli();
        return db.update("UPDATE jobs SET lease_until = ? WHERE status = 'RUNNING' AND lease_until < ?", until, until);
    }

    /** Cancels a queued job at once; asks the runner of a running one to stop. */
    public Optional<Job> cancel(String jobId) {
        String now = Instant.now().toString();
        Optional<Job> job = db.transaction(c -> {
            if (Database.update(c, "UPDATE jobs SET status = 'CANCELLED', message = 'cancelled', finished_at = ?,"
                    + " updated_at = ? WHERE id = ? AND status = 'QUEUED'", now, now, jobId) == 1) {
                announce(c, jobId, JobStatus.CANCELLED);
            }
            Database.update(c, "UPDATE jobs SET cancel_asked = 1, updated_at = ? WHERE id = ? AND status = 'RUNNING'", now,
                    jobId);
            return one(c, jobId);
        });
        outbox.wake();
        return job;
    }

    public Optional<Job> get(String id) {
        return db.transaction(c -> one(c, id));
    }

    public List<Job> byOwner(String owner, int limit) {
        return db.query(SELECT + "WHERE owner = ? ORDER BY created_at DESC LIMIT ?", JobStore::row, owner, limit);
    }

    public List<Job> byRepo(RepoId repo, int limit) {
        return db.query(SELECT + "WHERE repo_type = ? AND owner = ? AND name = ? ORDER BY created_at DESC LIMIT ?",
                JobStore::row, repo.type().name(), repo.owner(), repo.name(), limit);
    }

    /** One numbered line of a job's log or metrics stream. */
    public record Entry(long seq, Instant at, String text) {
    }

    public void appendLogs(String jobId, List<String> lines) {
        append("job_logs", "line", jobId, lines);
    }

    public void appendMetrics(String jobId, List<String> jsonLines) {
        append("job_metrics", "data", jobId, jsonLines);
    }

    public List<Entry> logs(String jobId, long afterSeq) {
        return entries("job_logs", "line", jobId, afterSeq);
    }

    public List<Entry> metrics(String jobId, long afterSeq) {
        return entries("job_metrics", "data", jobId, afterSeq);
    }

    private void append(String table, String column, String jobId, List<String> lines) {
        String now = Instant.now().toString();
        db.transaction(c -> {
            long next = Database.query(c, "SELECT COALESCE(MAX(seq), 0) FROM " + table + " WHERE job_id = ?",
                    r -> r.getLong(1), jobId).getFirst();
            for (String line : lines) {
                Database.update(c, "INSERT INTO " + table + " (job_id, seq, at, " + column + ") VALUES (?, ?, ?, ?)", jobId,
                        ++next, now, line);
            }
            return null;
        });
    }

    private List<Entry> entries(String table, String column, String jobId, long afterSeq) {
        return db.query("SELECT seq, at, " + column + " FROM " + table + " WHERE job_id = ? AND seq > ? ORDER BY seq"
                + " LIMIT 5000", r -> new Entry(r.getLong(1), Instant.parse(r.getString(2)), r.getString(3)), jobId, afterSeq);
    }

    /** Records that a job reached {@code status}, in the transaction that put it there. */
    private void announce(Connection c, String jobId, JobStatus status) throws SQLException {
        RepoId repo = one(c, jobId).orElseThrow().repo();
        outbox.append(c, RepoEvent.Kind.JOB_FINISHED, repo, jobId, status.wire());
    }

    private static Optional<Job> one(Connection c, String id) throws SQLException {
        List<Job> jobs = Database.query(c, SELECT + "WHERE id = ?", JobStore::row, id);
        return jobs.isEmpty() ? Optional.empty() : Optional.of(jobs.getFirst());
    }

    private static String newId() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String toJson(JobSpec spec) {
        try {
            return Json.mapper().writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Job row(ResultSet r) throws SQLException {
        JobSpec spec;
        try {
            spec = Json.mapper().readValue(r.getString("spec"), JobSpec.class);
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable job spec", e);
        }
        RepoId repo = new RepoId(RepoType.valueOf(r.getString("repo_type").toUpperCase(Locale.ROOT)), r.getString("owner"),
                r.getString("name"));
        return new Job(r.getString("id"), JobKind.valueOf(r.getString("kind")), repo, spec,
                JobStatus.valueOf(r.getString("status")), r.getString("message"), r.getInt("attempts"),
                r.getInt("max_attempts"), Optional.ofNullable(r.getString("runner_id")), r.getInt("cancel_asked") != 0,
                Optional.ofNullable(r.getString("result_commit")), r.getString("created_by"),
                Instant.parse(r.getString("created_at")), Instant.parse(r.getString("updated_at")),
                Optional.ofNullable(r.getString("started_at")).map(Instant::parse),
                Optional.ofNullable(r.getString("finished_at")).map(Instant::parse));
    }
}
