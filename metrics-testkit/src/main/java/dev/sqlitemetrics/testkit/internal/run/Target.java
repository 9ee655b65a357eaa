package dev.sqlitemetrics.testkit.internal.run;

import dev.sqlitemetrics.core.PostgresConfig;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.core.StoreConfig;
import dev.sqlitemetrics.testkit.WriterKind;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The database a run, a check or a campaign writes to, whatever the store: a SQLite file or a table
 * on a PostgreSQL server. Everything the harness does to the database itself (a fresh place per
 * level, connections for checks, integrity, the naive writer, how the config reaches child JVMs)
 * goes through here, so the runner, the verifier and the campaigns are one code path. Internal.
 */
public interface Target {

    /** Environment variable through which a child JVM gets a server's password: never on its command line. */
    String PASSWORD_VARIABLE = "SQLITE_METRICS_PASSWORD";

    /** The target of {@code config}. */
    static Target of(StoreConfig config) {
        return config instanceof SqliteConfig sqlite ? new SqliteTarget(sqlite) : new PostgresTarget((PostgresConfig) config);
    }

    /** The recorder's configuration for this database. */
    StoreConfig config();

    /** The table records go to. */
    default String table() {
        return config().tableName();
    }

    /**
     * The same settings on a place of its own named {@code name}: a file in {@code folder}, or a
     * table of that name beside the configured one on the same server.
     */
    Target named(Path folder, String name);

    /** Removes whatever an earlier run left there (the file and its companions, or the table). */
    void reset() throws IOException, SQLException;

    /** Removes it for good, scratch files' lock sidecars included. */
    void delete() throws IOException, SQLException;

    /** A new connection for checks, prefill and other clients' rows; the caller closes it. */
    Connection connect() throws SQLException;

    /**
     * The query that reads every row as a check compares it: id as text, msg, task, outcome,
     * duration_ms, how many keys the attributes hold, the values of the testkit's two attribute keys
     * ({@link RecordContent#WRITER_KEY}, {@link RecordContent#SEQUENCE_KEY}), and the time in epoch
     * milliseconds; each read with the store's own functions.
     */
    String rowsSql();

    /** {@code ok}, or what is wrong with the table's storage (SQLite's integrity check, a server's indexes). */
    String integrity(Connection connection) throws SQLException;

    /**
     * Whether another connection can start writing at once: {@code null} if so, otherwise why not
     * (a connection of the writer under test left inside a transaction holds the lock).
     */
    String writeLockTaken(Connection connection);

    /** The naive writer on this database: a connection per record, one INSERT, no retry. */
    AttemptWriter naive(Duration busyTimeout);

    /**
     * One connection behind a lock, a transaction per record, a busy retry loop ({@link WriterKind#LOCKED_CONNECTION}).
     *
     * @throws IllegalArgumentException on a database that has no {@code BEGIN IMMEDIATE}
     */
    AttemptWriter lockedConnection();

    /** The command-line flags that describe {@link #config()} to a child JVM, secrets left out. */
    List<String> childArgs();

    /** What a child JVM needs in its environment: a server's password. */
    Map<String, String> childEnvironment();
}
