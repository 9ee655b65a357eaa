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
import java.sql.Statement;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Commits batches to a PostgreSQL server: the seam that holds every PostgreSQL specific (SQLSTATEs,
 * the in-doubt COMMIT, the table's types). Internal: not part of the API.
 *
 * <p>Each batch is one transaction on the writer's own connection: one
 * {@code INSERT ... SELECT FROM unnest(...) ON CONFLICT (id) DO NOTHING} that answers with
 * {@code pg_current_xact_id()}, then COMMIT. A
 * COMMIT that the server answered with an error rolled back (nothing written). A connection lost
 * while COMMIT was in flight is the one unknown outcome: after reconnecting, {@code pg_xact_status}
 * of the transaction id settles it where the server can still tell; otherwise the batch is retried,
 * which the id makes idempotent, and reported unknown if the deadline passes first. Never a guess.
 */
public final class PostgresStore implements BatchStore {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresStore.class);
    private static final long PID = ProcessHandle.current().pid();
    /** This host's name, in every row it writes. */
    static final String HOST = hostName();

    private final PostgresConfig config;
    private final RecorderListener listener;
    private final PostgresSchema schema;
    private final PostgresConnections connections;
    private final UnaryOperator<Connection> writerConnection;
    /** Writer thread only (opened at open, before the writer thread starts). */
    private Session session;

    /** The writer's connection in a transaction of its own, with its statements prepared once. */
    private final class Session implements AutoCloseable {
        final Connection connection;
        final UnnestInsert insert;

        Session(Connection connection) throws SQLException {
            this.connection = connection;
            connection.setAutoCommit(false);
            this.insert = new UnnestInsert(connection, UnnestInsert.sql(schema.table(), PID, HOST));
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
        // 'rewrite' is SQLite's answer to a failed fsync; here the server settles an unknown COMMIT itself.
        Session current = session();
        String xid = null;
        boolean committing = false;
        try {
            batch.admitLateJoiners();
            xid = current.insert.execute(batch.records());
            committing = true;
            current.connection.commit();
        } catch (SQLException e) {
            boolean lost = PostgresErrors.connectionLost(e) || closed(current.connection);
            if (lost) {
                dropSession(e);
            } else {
                rollbackQuietly(current, e);
            }
            if (committing && lost) {
                settleInDoubt(xid, e);
                return;
            }
            // The server answered: a failed statement or COMMIT rolled the transaction back.
            throw failure("writing to", e, WriteOutcome.NOT_WRITTEN);
        } catch (RuntimeException | Error e) {
            SQLException cause = new SQLException(e.toString(), e);
            rollbackQuietly(current, cause);
            dropSession(cause);
            throw new StoreFailure("writing to " + config.database() + " failed unexpectedly: " + e, e, Kind.OTHER,
                    (String) null, committing ? WriteOutcome.UNKNOWN : WriteOutcome.NOT_WRITTEN, false);
        }
    }

    /**
     * The connection broke while COMMIT was in flight: asks the server, on a new connection, whether
     * the transaction committed. Returns when it did; throws NOT_WRITTEN when it was rolled back, and
     * UNKNOWN (retryable: the id makes a retry idempotent) when the server cannot tell or be reached.
     */
    private void settleInDoubt(String xid, SQLException lost) {
        try (Connection asking = connections.openWriter();
             PreparedStatement status = asking.prepareStatement("SELECT pg_xact_status(CAST(? AS xid8))")) {
            status.setString(1, xid);
            try (ResultSet rows = status.executeQuery()) {
                String answer = rows.next() ? rows.getString(1) : null;
                if ("committed".equals(answer)) {
                    LOG.info("sqlite-metrics lost the connection to {} during COMMIT; transaction {} committed",
                            config.database(), xid);
                    return;
                }
                if ("aborted".equals(answer)) {
                    throw failure("COMMIT to", lost, WriteOutcome.NOT_WRITTEN);
                }
                throw new StoreFailure("the connection to " + config.database() + " was lost during COMMIT and"
                        + " transaction " + xid + " is " + answer + "; " + PostgresErrors.describe(lost), lost, Kind.IO,
                        PostgresErrors.sqlState(lost), WriteOutcome.UNKNOWN, true);
            }
        } catch (SQLException asking) {
            lost.addSuppressed(asking);
            throw new StoreFailure("the connection to " + config.database() + " was lost during COMMIT, and asking"
                    + " the server how transaction " + xid + " ended failed: " + PostgresErrors.describe(asking), lost,
                    Kind.IO, PostgresErrors.sqlState(lost), WriteOutcome.UNKNOWN, true);
        }
    }

    private Session session() {
        if (session == null) {
            try {
                session = new Session(writerConnection.apply(connections.openWriter()));
            } catch (SQLException e) {
                throw failure("connecting to", e, WriteOutcome.NOT_WRITTEN);
            }
        }
        return session;
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
