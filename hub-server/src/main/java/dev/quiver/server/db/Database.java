package dev.quiver.server.db;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;

/**
 * The hub's relational store: an embedded SQLite file with migrations applied on open. SQLite allows
 * one writer at a time, so the hub keeps one connection for transactions and serialises work on it;
 * WAL with {@code synchronous=FULL} makes every committed transaction survive a crash. Reads outside
 * a transaction go to a second, read-only connection: under WAL they see every committed
 * transaction without waiting for one being committed (whose fsync takes milliseconds, and every
 * authenticated request looks up its token).
 */
public final class Database implements AutoCloseable {
    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();
    private final Connection reader;
    private final ReentrantLock readLock = new ReentrantLock();

    private Database(Connection connection, Connection reader) {
        this.connection = connection;
        this.reader = reader;
    }

    public static Database open(Path file) {
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        // java.util.logging like the rest of the hub (Flyway would pick SLF4J, which JGit brings, and
        // then name its own adapter as the source of every line)
        Flyway.configure().loggers("org.flywaydb.core.internal.logging.javautil.JavaUtilLogCreator")
                .dataSource(url, "", "").locations("classpath:db/migration").load().migrate();
        try {
            Connection c = DriverManager.getConnection(url);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA foreign_keys=ON");
                s.execute("PRAGMA busy_timeout=10000");
            }
            c.setAutoCommit(false);
            Connection r = DriverManager.getConnection(url);
            try (Statement s = r.createStatement()) {
                s.execute("PRAGMA query_only=ON");
                s.execute("PRAGMA busy_timeout=10000");
            }
            // each read its own transaction: it sees what was committed when it starts, and holds no snapshot after
            r.setAutoCommit(true);
            return new Database(c, r);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open database " + file + ": " + e.getMessage(), e);
        }
    }

    /** Work that runs inside one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Maps one result row. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    /** Runs {@code work} in a transaction: committed if it returns, rolled back if it throws. */
    public <T> T transaction(Work<T> work) {
        lock.lock();
        try {
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("database error: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    public int update(String sql, Object... args) {
        return transaction(c -> update(c, sql, args));
    }

    /** Rows of a query: on the read connection, or inside the caller's transaction if it is in one. */
    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
        if (lock.isHeldByCurrentThread()) {
            return transaction(c -> query(c, sql, mapper, args)); // sees the transaction's own writes
        }
        readLock.lock();
        try {
            return query(reader, sql, mapper, args);
        } catch (SQLException e) {
            throw new IllegalStateException("database error: " + e.getMessage(), e);
        } finally {
            readLock.unlock();
        }
    }

    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... args) {
        List<T> rows = query(sql, mapper, args);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    public static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        }
    }

    /** Runs an insert and returns the generated row id. */
    public static long insert(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args)) {
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    public static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... args)
            throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            List<T> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(mapper.map(rs));
            }
            return rows;
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        return ps;
    }

    @Override
    public void close() {
        lock.lock();
        readLock.lock();
        try (connection; reader) {
            // both closed, the reader first
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } finally {
            readLock.unlock();
            lock.unlock();
        }
    }
}
