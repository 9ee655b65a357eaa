package dev.sqlitemetrics.core.internal;

import dev.sqlitemetrics.core.ForwarderConfig;
import dev.sqlitemetrics.core.ForwarderListener;
import dev.sqlitemetrics.core.MetricsForwarder;
import dev.sqlitemetrics.core.MetricsReader;
import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.MetricsRetention;
import dev.sqlitemetrics.core.PostgresConfig;
import dev.sqlitemetrics.core.RecorderListener;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.core.StoreConfig;
import dev.sqlitemetrics.core.internal.forward.FileForwarder;
import dev.sqlitemetrics.core.internal.forward.Outbox;
import dev.sqlitemetrics.core.internal.postgres.PostgresCentral;
import dev.sqlitemetrics.core.internal.postgres.PostgresReadSide;
import dev.sqlitemetrics.core.internal.postgres.PostgresStore;
import dev.sqlitemetrics.core.internal.postgres.UrlSecrets;
import dev.sqlitemetrics.core.internal.read.TablePruner;
import dev.sqlitemetrics.core.internal.read.TableReader;
import dev.sqlitemetrics.core.internal.sqlite.SqliteMigration;
import dev.sqlitemetrics.core.internal.sqlite.SqliteOutbox;
import dev.sqlitemetrics.core.internal.sqlite.SqliteReadSide;
import dev.sqlitemetrics.core.internal.sqlite.SqliteStore;
import dev.sqlitemetrics.core.internal.write.CallbackExecutor;
import dev.sqlitemetrics.core.internal.write.Failures;
import dev.sqlitemetrics.core.internal.write.GroupCommitRecorder;
import dev.sqlitemetrics.core.internal.write.GuardedListener;
import dev.sqlitemetrics.core.internal.write.StoreFailure;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * The one place that decides the store from a configuration: a {@link SqliteConfig} is a SQLite
 * file, a {@link PostgresConfig} a PostgreSQL server. The API's entry points (recorder, reader,
 * retention, forwarder) and the store-neutral engine ask here; nothing else looks at which config
 * it holds. A third store is one more branch in each method below, and a package of its own.
 *
 * <p>It is also the API package's only door into {@code internal}: the two engine services the API
 * needs (a server URL's redaction, a listener's shield) pass through here, so a structure test can
 * hold the API to this one class.
 */
public final class Stores {
    private Stores() {
    }

    /**
     * A recorder on the store {@code config} describes.
     *
     * @param dataSource       for a server: connect through it instead of the config's URL; null otherwise
     * @param callbackExecutor completes async callers' futures; null for the recorder's own threads
     * @throws IllegalArgumentException when a data source is given for a file, or a server has neither URL nor data source
     */
    public static MetricsRecorder recorder(StoreConfig config, DataSource dataSource, RecorderListener listener,
                                           Executor callbackExecutor) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(listener, "listener");
        String name = shortName(config);
        if (config instanceof SqliteConfig sqlite) {
            if (dataSource != null) {
                throw new IllegalArgumentException("dataSource is for a PostgreSQL config, was given for " + sqlite.path());
            }
            return new GroupCommitRecorder(config, listener, guarded -> SqliteStore.open(sqlite, guarded),
                    callbacks(name, callbackExecutor), name);
        }
        PostgresConfig server = (PostgresConfig) config;
        if (dataSource == null && server.jdbcUrl() == null) {
            throw new IllegalArgumentException("jdbcUrl must be set when no DataSource is given, was null");
        }
        return new GroupCommitRecorder(config, listener, guarded -> PostgresStore.open(server, dataSource, guarded),
                callbacks(name, callbackExecutor), name);
    }

    /** A reader of {@code config}'s table; on a server through {@code dataSource} when one is given. */
    public static MetricsReader reader(StoreConfig config, DataSource dataSource) {
        Objects.requireNonNull(config, "config");
        return new TableReader(config, config instanceof SqliteConfig sqlite ? SqliteReadSide.dialect(sqlite)
                : PostgresReadSide.dialect((PostgresConfig) config, dataSource));
    }

    /** Retention on {@code config}'s table. */
    public static MetricsRetention retention(StoreConfig config) {
        Objects.requireNonNull(config, "config");
        return new TablePruner(config, config instanceof SqliteConfig sqlite ? SqliteReadSide.pruning(sqlite)
                : PostgresReadSide.pruning((PostgresConfig) config));
    }

    /** A forwarder of {@code config}'s SQLite file to its PostgreSQL table, not yet running. */
    public static MetricsForwarder forwarder(ForwarderConfig config, DataSource dataSource, ForwarderListener listener) {
        Outbox outbox;
        try {
            outbox = SqliteOutbox.open(config.source());
        } catch (StoreFailure failure) {
            throw new Failures(config.source()).translate(failure, null, 1, Duration.ZERO);
        }
        // Files of an earlier version named a server by its URL's text; a DataSource had no name of its own.
        String earlierName = dataSource == null && config.target().jdbcUrl() != null
                ? config.target().database() + " " + config.target().tableName() : null;
        return new FileForwarder(config, outbox, new PostgresCentral(config.target(), dataSource), earlierName, listener);
    }

    /** Drops what {@code source} keeps of {@code target}; whether it knew that target. */
    public static boolean forget(SqliteConfig source, String target) {
        try {
            return SqliteOutbox.forget(source, target);
        } catch (StoreFailure failure) {
            throw new Failures(source).translate(failure, null, 1, Duration.ZERO);
        }
    }

    /** What opening a recorder would change in {@code config}'s file and table, without changing it. */
    public static List<String> migrationPlan(SqliteConfig config) {
        try {
            return SqliteMigration.plan(config);
        } catch (StoreFailure failure) {
            throw new Failures(config).translate(failure, null, 1, Duration.ZERO);
        }
    }

    /** Creates or adopts {@code config}'s table; what it changed. */
    public static List<String> migrate(SqliteConfig config) {
        try {
            return SqliteMigration.apply(config);
        } catch (StoreFailure failure) {
            throw new Failures(config).translate(failure, null, 1, Duration.ZERO);
        }
    }

    /** The database file of {@code config}, or null for a server. */
    public static Path file(StoreConfig config) {
        return config instanceof SqliteConfig sqlite ? sqlite.path() : null;
    }

    /** What must never be printed: the secrets of a server's URL and its password; none for a file. */
    public static List<String> secrets(StoreConfig config) {
        return config instanceof PostgresConfig server ? UrlSecrets.values(server.jdbcUrl(),
                server.password() == null ? null : server.password().reveal()) : List.of();
    }

    /** {@code text} (a driver's message, a failure's) without the secrets of {@code config}'s server. */
    public static String scrub(StoreConfig config, String text) {
        return scrub(text, secrets(config));
    }

    /** {@code text} without {@code secrets} (as {@link #secrets} gives them). */
    public static String scrub(String text, List<String> secrets) {
        return UrlSecrets.scrub(text, secrets);
    }

    /** The settings that bound a failed batch, for its message. */
    public static String settings(StoreConfig config) {
        String retry = "retry.deadline=" + config.retry().deadline().toMillis() + "ms, retry.maxAttempts="
                + config.retry().maxAttempts();
        if (config instanceof SqliteConfig sqlite) {
            return "busyTimeout=" + sqlite.busyTimeout().toMillis() + "ms, " + retry + ", journalMode="
                    + sqlite.journalMode() + ", synchronous=" + sqlite.synchronous();
        }
        return retry + ", connectTimeout=" + ((PostgresConfig) config).connectTimeout().toMillis() + "ms";
    }

    /** The file's name, or the server's database name: what names the recorder's threads. */
    public static String shortName(StoreConfig config) {
        if (config instanceof SqliteConfig sqlite) {
            return sqlite.path().getFileName().toString();
        }
        String database = config.database();
        int slash = database.lastIndexOf('/');
        int query = database.indexOf('?', Math.max(0, slash));
        return slash < 0 ? "postgres" : database.substring(slash + 1, query < 0 ? database.length() : query);
    }

    /** {@code url} as it may be printed: its password and secret parameters masked. */
    public static String redactUrl(String url) {
        return UrlSecrets.redact(url);
    }

    /** {@code listener}, logging and swallowing whatever it throws, so one listener cannot break the writer or another. */
    public static RecorderListener guard(RecorderListener listener) {
        return GuardedListener.guard(listener);
    }

    private static ExecutorService callbacks(String name, Executor given) {
        return given == null ? CallbackExecutor.create("sqlite-metrics-callback-" + name) : CallbackExecutor.borrowed(given);
    }
}
