package dev.sqlitemetrics.benchmarks;

import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.PostgresConfig;
import dev.sqlitemetrics.core.testing.PostgresServer;
import org.opentest4j.TestAbortedException;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The PostgreSQL server the PostgreSQL benchmarks write to: one given with {@code --jdbc-url} (and
 * {@code --user}; a password only through the environment variable {@value #PASSWORD_VARIABLE}), or a
 * throwaway cluster started for the run (needs root and the server binaries). JMH's forked JVMs learn
 * it from system properties; the password reaches them through the inherited environment.
 */
final class BenchServer implements AutoCloseable {
    static final String URL_PROPERTY = "sqlitemetrics.bench.jdbcUrl";
    static final String USER_PROPERTY = "sqlitemetrics.bench.user";
    static final String PASSWORD_VARIABLE = "SQLITE_METRICS_PASSWORD";
    private static final AtomicLong TABLES = new AtomicLong();

    private final String jdbcUrl;
    private final String user;
    private final PostgresServer throwaway;

    private BenchServer(String jdbcUrl, String user, PostgresServer throwaway) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.throwaway = throwaway;
    }

    /** The given server, or a throwaway one; empty (with the reason printed) when none can be had. */
    static Optional<BenchServer> obtain(String jdbcUrl, String user) {
        if (jdbcUrl != null) {
            return Optional.of(new BenchServer(jdbcUrl, user, null));
        }
        try {
            PostgresServer server = PostgresServer.start();
            return Optional.of(new BenchServer(server.jdbcUrl(), "postgres", server));
        } catch (TestAbortedException e) {
            System.out.println("PostgreSQL benchmarks skipped: " + e.getMessage() + " (or pass --jdbc-url)");
            return Optional.empty();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start a throwaway PostgreSQL server (or pass --jdbc-url)", e);
        }
    }

    /** Whether the run uses a throwaway server of its own, which this machine's figures then describe. */
    boolean throwaway() {
        return throwaway != null;
    }

    /**
     * Where the figures come from: the server's version and the settings that decide a commit's cost,
     * and whether it was a throwaway cluster on this machine or the redacted {@code --jdbc-url}.
     */
    String describe() throws SQLException {
        PostgresConfig config = config("unused");
        StringBuilder text = new StringBuilder(throwaway() ? "a throwaway cluster on this machine (initdb defaults)" : config.database());
        try (Connection connection = connect(config); Statement statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT version(), current_setting('synchronous_commit'), current_setting('fsync'),"
                     + " current_setting('wal_sync_method'), current_setting('max_connections'), current_setting('shared_buffers')")) {
            rows.next();
            text.append(": ").append(rows.getString(1).replaceFirst(" on .*", "")).append(", synchronous_commit=").append(rows.getString(2))
                    .append(", fsync=").append(rows.getString(3)).append(", wal_sync_method=").append(rows.getString(4))
                    .append(", max_connections=").append(rows.getString(5)).append(", shared_buffers=").append(rows.getString(6));
        }
        return text.toString();
    }

    /** The JVM options that tell a forked benchmark JVM where the server is. */
    String[] jvmArgs() {
        return new String[] {"-D" + URL_PROPERTY + "=" + jdbcUrl, "-D" + USER_PROPERTY + "=" + user};
    }

    /** A recorder configuration for {@code table} on this server. */
    PostgresConfig config(String table) {
        return configured(jdbcUrl, user, table);
    }

    /** In a forked JVM: the configuration of {@code table} on the server of {@link #jvmArgs()}. */
    static PostgresConfig forkConfig(String table) {
        return configured(System.getProperty(URL_PROPERTY), System.getProperty(USER_PROPERTY), table);
    }

    private static PostgresConfig configured(String jdbcUrl, String user, String table) {
        if (jdbcUrl == null) {
            throw new IllegalStateException("no -D" + URL_PROPERTY + ": run the PostgreSQL benchmarks through BenchmarkSuite");
        }
        PostgresConfig.Builder builder = PostgresConfig.builder(jdbcUrl).user(user).tableName(table);
        String password = System.getenv(PASSWORD_VARIABLE);
        return (password == null ? builder : builder.password(password)).build();
    }

    /** A new table name, unique in this JVM and across runs, so every trial starts from an empty table. */
    static String freshTable(String prefix) {
        return prefix + "_" + ProcessHandle.current().pid() + "_" + TABLES.incrementAndGet();
    }

    /** Creates {@code config}'s table with the recorder itself, so every benchmark meets the same schema. */
    static void create(PostgresConfig config) {
        MetricsRecorder.open(config).close();
    }

    /** Opens a plain JDBC connection to {@code config}'s server. */
    static Connection connect(PostgresConfig config) throws SQLException {
        return DriverManager.getConnection(config.jdbcUrl(), config.user(),
                config.password() == null ? null : config.password().reveal());
    }

    /** Drops {@code config}'s table. */
    static void drop(PostgresConfig config) throws SQLException {
        try (Connection connection = connect(config); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS \"" + config.tableName() + "\"");
        }
    }

    @Override
    public void close() throws Exception {
        if (throwaway != null) {
            throwaway.close();
        }
    }
}
