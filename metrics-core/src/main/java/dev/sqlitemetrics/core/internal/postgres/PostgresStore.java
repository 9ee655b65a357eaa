package dev.sqlitemetrics.core.internal.postgres;

import dev.sqlitemetrics.core.PostgresConfig;
import dev.sqlitemetrics.core.RecorderListener;
import dev.sqlitemetrics.core.WriteOutcome;
import dev.sqlitemetrics.core.internal.write.Batch;
import dev.sqlitemetrics.core.internal.write.BatchStore;
import dev.sqlitemetrics.core.internal.write.BusyRetry;
import dev.sqlitemetrics.core.internal.write.Deadline;
import dev.sqlitemetrics.core.internal.write.StoreFailure;
import dev.sqlitemetrics.core.internal.write.StoreFailure.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Commits batches to a PostgreSQL server: the seam that holds every PostgreSQL specific (SQLSTATEs,
 * the statement that commits, the table's types). Internal: not part of the API.
 *
 * <p>Each batch is one statement in autocommit mode on the writer's own connection,
 * {@code INSERT ... SELECT FROM unnest(...) ON CONFLICT (id) DO NOTHING}: the server commits it before
 * it answers, so a batch costs one round trip. An error the server answered with rolled it back
 * (nothing written). An answer that never came (a connection lost, a server that stopped answering)
 * is the one unknown outcome: the batch is sent again on a new connection, which the ids make
 * idempotent (a row that is there already is skipped, one that is not is written), and reported
 * unknown if the deadline passes first. Never a guess.
 *
 * <p>No statement outlives the batch's deadline: the socket's timeout is what is left of it (plus a
 * moment), and the session's {@code statement_timeout} is the retry deadline, so a COMMIT held by a
 * synchronous standby that is gone is cancelled by the server itself. The server then says
 * "canceling wait for synchronous replication": committed locally, not replicated, reported unknown.
 */
public final class PostgresStore implements BatchStore {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresStore.class);
    private static final long PID = ProcessHandle.current().pid();
    /** What a statement may take past its batch's deadline before the socket gives up on its answer. */
    private static final long STATEMENT_GRACE_MILLIS = 500;
    /**
     * A session idle this long is checked before a batch goes on it: one round trip, only for
     * recorders that record now and then, never between the back-to-back batches of a busy one.
     */
    private static final long IDLE_CHECK_NANOS = 100_000_000L;
    /** PostgreSQL's warning when a COMMIT's wait for a synchronous standby was cancelled: committed locally only. */
    private static final String SYNC_REPLICATION_CANCELLED = "canceling wait for synchronous replication";
    /** This host's name, in every row it writes. */
    static final String HOST = hostName();

    private final PostgresConfig config;
    private final RecorderListener listener;
    private final PostgresSchema schema;
    private final PostgresConnections connections;
    private final UnaryOperator<Connection> writerConnection;
    /** Writer thread only (opened at open, before the writer thread starts). */
    private Session session;
    /** The statement being sent now, for a cancel at the deadline; {@code null} between batches. */
    private volatile UnnestInsert inFlight;

    /**
     * The writer's connection, its statement prepared once. It starts in a transaction (the table's
     * creation and check), then commits each statement by itself.
     */
    private final class Session implements AutoCloseable {
        final Connection connection;
        final UnnestInsert insert;
        /** The socket timeout in force, in milliseconds; set only when it changes. */
        private int networkTimeoutMillis = -1;
        /** When the last batch's answer came, on the nanosecond clock. */
        long lastUsedNanos = System.nanoTime();

        Session(Connection connection) throws SQLException {
            this.connection = connection;
            connection.setAutoCommit(false);
            this.insert = new UnnestInsert(connection, schema.table(), PID, HOST);
        }

        /** From the table's check to recording: statements commit by themselves, and none runs past the deadline. */
        void startRecording() throws SQLException {
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET statement_timeout = " + Math.max(1, config.retry().deadline().toMillis()));
            }
        }

        /** The socket waits no longer than what is left of {@code deadline}, and a moment for the answer in flight. */
        void waitAtMostUntil(Deadline deadline) throws SQLException {
            long millis = Math.max(1, Math.min(Integer.MAX_VALUE, deadline.remaining().toMillis() + STATEMENT_GRACE_MILLIS));
            // Rounded up to a tenth of a second, so that a busy writer rarely changes it.
            int rounded = (int) Math.min(Integer.MAX_VALUE, (millis + 99) / 100 * 100);
            if (rounded != networkTimeoutMillis) {
                connection.setNetworkTimeout(Runnable::run, rounded);
                networkTimeoutMillis = rounded;
            }
        }

        @Override
        public void close() {
            insert.close();
            try {
                connection.close();
            } catch (SQLException | RuntimeException e) {
                LOG.debug("sqlite-metrics closing a connection to {} failed", config.database(), e);
            }
        }
    }

    private PostgresStore(PostgresConfig config, RecorderListener listener, PostgresConnections connections,
                          UnaryOperator<Connection> writerConnection) {
        this.config = config;
        this.listener = listener;
        this.schema = new PostgresSchema(config.tableName());
        this.connections = connections;
        this.writerConnection = writerConnection;
    }

    /**
     * Connects, creates the table if it is missing (serialised across hosts), checks its shape, and
     * opens the writer's connection; connection failures are retried within the retry deadline.
     *
     * @param dataSource the caller's data source, or {@code null} to use the config's URL and credentials
     * @param listener   a listener that never throws
     * @throws StoreFailure when the server or the table cannot be used; nothing was written then
     */
    public static PostgresStore open(PostgresConfig config, DataSource dataSource, RecorderListener listener) {
        return open(config, dataSource, listener, UnaryOperator.identity());
    }

    /**
     * As {@link #open(PostgresConfig, DataSource, RecorderListener)}, with every connection the writer
     * opens passed through {@code writerConnection} first: the seam through which the tests break a
     * connection at a chosen statement. The recorder itself always passes the identity.
     */
    public static PostgresStore open(PostgresConfig config, DataSource dataSource, RecorderListener listener,
                                     UnaryOperator<Connection> writerConnection) {
        PostgresStore store = new PostgresStore(config, listener, new PostgresConnections(config, dataSource),
                writerConnection);
        try {
            Deadline deadline = Deadline.after(config.retry().deadline());
            new BusyRetry(config.retry(), (failure, attempt) -> { }).run(deadline, store::prepare);
            return store;
        } catch (RuntimeException | Error e) {
            store.close();
            throw e;
        }
    }

    private void prepare() {
        try {
            Session opened = new Session(writerConnection.apply(connections.openWriter()));
            session = opened;
            schema.create(opened.connection);
            List<String> differences = schema.differences(opened.connection);
            opened.connection.commit();
            if (!differences.isEmpty()) {
                throw StoreFailure.notWritten("table " + schema.table() + " on " + config.database()
                        + " has another shape than the recorder needs: " + String.join("; ", differences)
                        + "; nothing was altered", null, Kind.SCHEMA, -1, false);
            }
            addIndexes(opened.connection);
            opened.startRecording();
        } catch (SQLException e) {
            dropSession(e);
            throw failure("opening", e, WriteOutcome.NOT_WRITTEN);
        }
    }

    /**
     * A table made before the read side's indexes gets them, built concurrently so writers go on.
     * Not having them slows reads only: a session without the right (or another session building them
     * past the deadline) leaves them to the next open.
     */
    private void addIndexes(Connection connection) throws SQLException {
        try {
            List<String> missing = schema.addMissingIndexes(connection,
                    System.nanoTime() + config.retry().deadline().toNanos());
            if (!missing.isEmpty()) {
                LOG.info("sqlite-metrics left indexes {} of {} on {} to another session building them", missing,
                        schema.table(), config.database());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            if (!"42501".equals(e.getSQLState())) {
                throw e;
            }
            LOG.info("sqlite-metrics may not create the indexes of {} on {}: reads will be slower", schema.table(),
                    config.database());
        }
    }

    @Override
    public void commit(Batch batch, Deadline deadline, boolean rewrite) {
        // 'rewrite' is SQLite's answer to a failed fsync; here the ids make sending a batch again harmless.
        Session current = liveSession(deadline);
        boolean sent = false;
        try {
            current.waitAtMostUntil(deadline);
            batch.admitLateJoiners();
            if (!batch.enterCommit()) {
                throw StoreFailure.notWritten("the retry deadline passed before the batch could be sent to "
                        + config.database(), null, Kind.IO, -1, false);
            }
            sent = true;
            inFlight = current.insert;
            try {
                current.insert.execute(batch.records());
            } finally {
                inFlight = null;
                current.lastUsedNanos = System.nanoTime();
            }
            SQLWarning warning = current.insert.warnings();
            batch.commitEnded(false);
            if (warning != null && String.valueOf(warning.getMessage()).contains(SYNC_REPLICATION_CANCELLED)) {
                // Committed here, not on the synchronous standby: trying again would find the rows and
                // answer "committed", which is not what synchronous replication promises.
                throw new StoreFailure("the COMMIT on " + config.database() + " was not confirmed by its synchronous"
                        + " standby within the retry deadline (" + warning.getMessage() + "): committed on the"
                        + " primary only", warning, Kind.IO, "01000", WriteOutcome.UNKNOWN, false);
            }
        } catch (SQLException e) {
            boolean lost = PostgresErrors.connectionLost(e) || closed(current.connection);
            if (sent) {
                batch.commitEnded(!lost);
            }
            if (lost) {
                dropSession(e);
            }
            if (sent && lost) {
                // No answer: the statement may have committed. Sending it again on a new connection settles it.
                throw failure("the answer to a batch sent to", e, WriteOutcome.UNKNOWN);
            }
            // The server answered: a failed statement rolled back. Nothing was sent when the socket failed first.
            throw failure("writing to", e, WriteOutcome.NOT_WRITTEN);
        } catch (StoreFailure e) {
            throw e;
        } catch (RuntimeException | Error e) {
            if (sent) {
                batch.commitEnded(false);
            }
            SQLException cause = new SQLException(e.toString(), e);
            dropSession(cause);
            throw new StoreFailure("writing to " + config.database() + " failed unexpectedly: " + e, e, Kind.OTHER,
                    (String) null, sent ? WriteOutcome.UNKNOWN : WriteOutcome.NOT_WRITTEN, false);
        }
    }

    /**
     * The writer's session, checked first when it sat idle: a batch sent on a connection the server
     * dropped meanwhile (a restart) would end with no answer, an unknown outcome, where a check that
     * finds it dead lets the batch go on a new connection, certainly not written before.
     */
    private Session liveSession(Deadline deadline) {
        Session current = session(deadline);
        if (System.nanoTime() - current.lastUsedNanos > IDLE_CHECK_NANOS) {
            boolean valid;
            try {
                valid = current.connection.isValid((int) Math.max(1, Math.min(5, deadline.remaining().toSeconds())));
            } catch (SQLException e) {
                valid = false;
            }
            if (!valid) {
                dropSession(new SQLException("the connection was found closed after " + (System.nanoTime()
                        - current.lastUsedNanos) / 1_000_000 + "ms idle", "08003"));
                current = session(deadline);
            }
            current.lastUsedNanos = System.nanoTime();
        }
        return current;
    }

    /** The writer's session, a new one opened (within what is left of {@code deadline}) when there is none. */
    private Session session(Deadline deadline) {
        if (session == null) {
            try {
                Session opened = new Session(writerConnection.apply(connections.openWriter(deadline.remaining())));
                try {
                    opened.startRecording();
                } catch (SQLException | RuntimeException e) {
                    opened.close();
                    throw e;
                }
                session = opened;
            } catch (SQLException e) {
                throw failure("connecting to", e, WriteOutcome.NOT_WRITTEN);
            }
        }
        return session;
    }

    /**
     * The batch in flight passed its deadline: the server is asked to cancel its statement, so that a
     * COMMIT waiting for a synchronous standby ends (with a warning: committed on the primary only); a
     * server that answers nothing is left to the socket's timeout.
     */
    /** True while the writer's connection is open and was used a moment ago: the socket's timeout bounds the batch. */
    @Override
    public boolean answersWithinDeadline() {
        Session current = session;
        return current != null && System.nanoTime() - current.lastUsedNanos <= IDLE_CHECK_NANOS;
    }

    @Override
    public void deadlinePassed() {
        UnnestInsert statement = inFlight;
        if (statement != null) {
            statement.cancelQuietly();
        }
    }

    @Override
    public long count() {
        try (Connection connection = connections.borrow();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM \"" + schema.table() + "\"")) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw failure("counting rows of " + schema.table() + " on", e, WriteOutcome.NOT_WRITTEN);
        }
    }

    @Override
    public void close() {
        if (session != null) {
            session.close();
            session = null;
        }
        connections.close();
    }

    private StoreFailure failure(String action, SQLException e, WriteOutcome outcome) {
        Kind kind = PostgresErrors.kind(e);
        return new StoreFailure(action + " " + config.database() + " failed: " + PostgresErrors.describe(e), e, kind,
                PostgresErrors.sqlState(e), outcome, PostgresErrors.retryable(kind));
    }

    private void rollbackQuietly(Session current, SQLException cause) {
        try {
            current.connection.rollback();
        } catch (SQLException | RuntimeException | Error e) {
            cause.addSuppressed(e);
            dropSession(cause);
        }
    }

    private void dropSession(SQLException cause) {
        Session dropped = session;
        session = null;
        if (dropped != null) {
            dropped.close();
            LOG.warn("sqlite-metrics closed the writer's connection to {} after {}", config.database(),
                    PostgresErrors.describe(cause));
            listener.onConnectionEvicted(-1);
        }
    }

    private static boolean closed(Connection connection) {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /** The recording host's name, for the {@code host} column. */
    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String fromEnvironment = System.getenv("HOSTNAME");
            return fromEnvironment != null ? fromEnvironment : "unknown";
        }
    }
}
