package dev.quiver.server.jobs;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConfig;

/**
 * The glue a job queue like the hub's replaces, as the benchmark's peer: a jobs table in SQLite and,
 * per worker, its own connection running {@code SELECT id ... LIMIT 1; UPDATE ... SET status =
 * 'RUNNING'} in one immediate transaction, then marking the job done. Same durability as the hub
 * (WAL, {@code synchronous=FULL}); no HTTP, no leases, no authentication, no events.
 */
final class NaiveClaimLoop {
    private NaiveClaimLoop() {
    }

    /** Queues {@code jobs} rows, drains them with {@code workers} threads; returns the claim latencies. */
    static Latencies drain(Path file, int jobs, int workers) throws Exception {
        try (Connection c = connect(file)) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE jobs (id INTEGER PRIMARY KEY, status TEXT NOT NULL, runner TEXT)");
                s.execute("CREATE INDEX jobs_status ON jobs (status, id)");
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO jobs (status) VALUES ('QUEUED')")) {
                for (int i = 0; i < jobs; i++) {
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            c.commit();
        }
        Latencies claims = new Latencies();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            String runner = "worker-" + w;
            threads.add(Thread.ofPlatform().start(() -> work(file, runner, claims)));
        }
        for (Thread t : threads) {
            t.join();
        }
        return claims;
    }

    private static void work(Path file, String runner, Latencies claims) {
        try (Connection c = connect(file);
                PreparedStatement next = c.prepareStatement("SELECT id FROM jobs WHERE status = 'QUEUED' ORDER BY id LIMIT 1");
                PreparedStatement take = c.prepareStatement("UPDATE jobs SET status = 'RUNNING', runner = ? WHERE id = ?");
                PreparedStatement done = c.prepareStatement("UPDATE jobs SET status = 'DONE' WHERE id = ?")) {
            while (true) {
                long start = System.nanoTime();
                long id;
                try (ResultSet r = next.executeQuery()) {
                    if (!r.next()) {
                        c.commit();
                        return;
                    }
                    id = r.getLong(1);
                }
                take.setString(1, runner);
                take.setLong(2, id);
                take.executeUpdate();
                c.commit();
                claims.add(System.nanoTime() - start);
                done.setLong(1, id);
                done.executeUpdate();
                c.commit();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection connect(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(60_000);
        // immediate: a deferred read that later writes fails with SQLITE_BUSY instead of waiting
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        c.setAutoCommit(false);
        return c;
    }
}
