package dev.sqlitemetrics.core.internal.sqlite;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sqlitemetrics.core.SqliteConfig;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The recorder's connections: the writer's own, and a pool for reads; the only class that knows HikariCP.
 *
 * <p>The writer's connection comes straight from the data source, never from the pool: opening it
 * either succeeds or fails at once, so the writer never waits for a pooled connection past what is
 * left of its batch's deadline. The pool holds the other {@code poolSize - 1} connections.
 *
 * <p>Connections stay in autocommit mode; transactions are explicit {@code BEGIN IMMEDIATE} ...
 * {@code COMMIT} statements, and a connection never goes back to the pool inside one. HikariCP
 * evicts only for SQLStates it knows, and SQLite's are null, so the store retires the pooled
 * connections itself ({@link #evictAll()}) when the file moved or is damaged.
 */
final class SqliteConnections implements AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final VerifyingDataSource dataSource;
    private final HikariDataSource pool;

    SqliteConnections(SqliteConfig config, SqlitePragmas pragmas, FileIdentity identity) {
        this.dataSource = new VerifyingDataSource(pragmas, identity);
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(dataSource);
        hikari.setPoolName("sqlite-metrics-" + POOLS.incrementAndGet());
        hikari.setMaximumPoolSize(config.poolSize() - 1);
        hikari.setMinimumIdle(1);
        hikari.setAutoCommit(true);
        // A read waits only for other reads of this recorder; the retry deadline bounds it.
        hikari.setConnectionTimeout(Math.max(250, config.retry().deadline().toMillis()));
        hikari.setRegisterMbeans(false);
        this.pool = new HikariDataSource(hikari);
    }

    /** A new connection for the writer, outside the pool, its settings checked; the caller closes it. */
    Connection openWriter() throws SQLException {
        return dataSource.getConnection();
    }

    /** A pooled connection in autocommit mode; close it to return it. */
    Connection borrow() throws SQLException {
        return pool.getConnection();
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
