package dev.sqlitemetrics.core.internal.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sqlitemetrics.core.PostgresConfig;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The recorder's connections to a PostgreSQL server: the writer's own, opened straight from the data
 * source (never waited for in a pool), and a HikariCP pool of {@code poolSize - 1} for reads. The
 * only class that knows the driver's data source and HikariCP on this side.
 */
final class PostgresConnections implements AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();
    /** The least a login is waited for, so that one started as the deadline ends can still answer. */
    private static final long MIN_LOGIN_WAIT_NANOS = 250_000_000L;

    private final DataSource dataSource;
    private final HikariDataSource pool;

    /**
     * @param given the caller's data source, or {@code null} to connect with the config's URL and credentials
     */
    PostgresConnections(PostgresConfig config, DataSource given) {
        this.dataSource = given != null ? given : driverDataSource(config);
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(dataSource);
        hikari.setPoolName("sqlite-metrics-pg-" + POOLS.incrementAndGet());
        hikari.setMaximumPoolSize(config.poolSize() - 1);
        hikari.setMinimumIdle(0);
        hikari.setAutoCommit(true);
        hikari.setConnectionTimeout(Math.max(250, config.retry().deadline().toMillis()));
        // A server that is down at open must not fail the open of the pool: the writer's own
        // connection decides whether the server can be used.
        hikari.setInitializationFailTimeout(-1);
        hikari.setRegisterMbeans(false);
        this.pool = new HikariDataSource(hikari);
    }

    /** The driver's data source for the config's URL and credentials. */
    static DataSource driverDataSource(PostgresConfig config) {
        PGSimpleDataSource source = new PGSimpleDataSource();
        try {
            source.setUrl(config.jdbcUrl());
        } catch (IllegalArgumentException e) {
            // The driver's message quotes the whole URL, secrets included: neither it nor the cause goes on.
            throw new IllegalArgumentException("jdbcUrl must be a valid PostgreSQL URL, was "
                    + UrlSecrets.redact(config.jdbcUrl()) + " (" + UrlSecrets.scrub(e.getMessage(),
                    UrlSecrets.values(config.jdbcUrl(), null)) + ")");
        }
        if (config.user() != null) {
            source.setUser(config.user());
        }
        if (config.password() != null) {
            source.setPassword(config.password().reveal());
        }
        source.setConnectTimeout((int) config.connectTimeout().toSeconds());
        // A server that accepts the connection and then never answers (frozen) must not hold a login for ever.
        source.setLoginTimeout((int) Math.max(1, Math.min(config.connectTimeout().toSeconds(),
                config.retry().deadline().toSeconds())));
        // A cancel request at the deadline waits this long at most for a server that does not answer.
        source.setCancelSignalTimeout(2);
        source.setApplicationName("sqlite-metrics");
        return source;
    }

    /** A new connection for the writer, outside the pool; the caller closes it. */
    Connection openWriter() throws SQLException {
        return dataSource.getConnection();
    }

    /**
     * The same, given up after {@code within}: a server that accepts connections and answers nothing
     * (frozen) holds a login until the login timeout. The login goes on on a thread of its own, and a
     * connection that arrives too late is closed.
     */
    Connection openWriter(Duration within) throws SQLException {
        CompletableFuture<Connection> opening = new CompletableFuture<>();
        Thread login = new Thread(() -> {
            try {
                Connection connection = dataSource.getConnection();
                if (!opening.complete(connection)) {
                    closeQuietly(connection);
                }
            } catch (Throwable e) {
                opening.completeExceptionally(e);
            }
        }, "sqlite-metrics-pg-login");
        login.setDaemon(true);
        login.start();
        try {
            try {
                // A login to a server that answers takes milliseconds: one started at the deadline may finish.
                return opening.get(Math.max(MIN_LOGIN_WAIT_NANOS, within.toNanos()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (opening.completeExceptionally(e)) {
                    throw new SQLException("connecting took longer than the " + within.toMillis() + "ms left of the"
                            + " retry deadline", "08001", e);
                }
                // The login ended as the wait did: its own outcome stands.
                return opening.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            opening.cancel(false);
            throw new SQLException("interrupted while connecting", "08001", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new SQLException("connecting failed: " + e.getCause(), "08001", e.getCause());
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // Too late to be used: dropped.
        }
    }

    /** A pooled connection in autocommit mode; close it to return it. */
    Connection borrow() throws SQLException {
        return pool.getConnection();
    }

    @Override
    public void close() {
        pool.close();
    }
}
