package dev.sqlitemetrics.core.internal.sqlite;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sqlitemetrics.core.RecorderConfig;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The recorder's connection pool: the only class that knows HikariCP.
 *
 * <p>Connections stay in autocommit mode; transactions are explicit {@code BEGIN IMMEDIATE} ...
 * {@code COMMIT} statements, and a connection never goes back to the pool inside one. HikariCP
 * evicts only for SQLStates it knows, and SQLite's are null, so the store evicts broken
 * connections itself through {@link #evict(Connection)}.
 */
final class SqliteConnections implements AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final HikariDataSource pool;

    SqliteConnections(RecorderConfig config, SqlitePragmas pragmas, FileIdentity identity) {
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(new VerifyingDataSource(pragmas, identity));
        hikari.setPoolName("sqlite-metrics-" + POOLS.incrementAndGet());
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setMinimumIdle(1);
        hikari.setAutoCommit(true);
        // A connection only waits for another of ours (the writer or a count); the retry deadline bounds it.
        hikari.setConnectionTimeout(Math.max(250, config.retry().deadline().toMillis()));
        hikari.setRegisterMbeans(false);
        this.pool = new HikariDataSource(hikari);
    }

    /** A pooled connection in autocommit mode; close it to return it. */
    Connection borrow() throws SQLException {
        return pool.getConnection();
    }

    /** Closes {@code connection} instead of returning it to the pool. */
    void evict(Connection connection) {
        pool.evictConnection(connection);
    }

    /** Closes every idle connection and retires the busy ones when they come back. */
    void evictAll() {
        pool.getHikariPoolMXBean().softEvictConnections();
    }

    @Override
    public void close() {
        pool.close();
    }
}
