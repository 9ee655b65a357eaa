package dev.sqlitemetrics.core.internal.sqlite;

import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.core.WriteOutcome;
import dev.sqlitemetrics.core.internal.forward.ForwardedRow;
import dev.sqlitemetrics.core.internal.forward.Outbox;
import dev.sqlitemetrics.core.internal.read.Pruning;
import dev.sqlitemetrics.core.internal.write.StoreFailure;
import dev.sqlitemetrics.core.internal.write.StoreFailure.Kind;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A SQLite metrics file as the forwarder's outbox. Rows are read in rowid order, which is commit
 * order: SQLite gives each new row the highest rowid yet plus one, under the write lock, so a row
 * committed later never has a lower rowid (pruning keeps the newest row so that no rowid is handed
 * out twice). Reads never block the recorders (WAL); moving the mark is one short write transaction,
 * queued on the recorders' lock file like theirs. One forwarder per file and server: a lock file
 * beside the database says which. Internal: not part of the API.
 */
public final class SqliteOutbox implements Outbox {
    /** How often the rows at or below the mark are counted: a full scan of them, cheap next to shipping. */
    private static final long COUNT_EVERY_NANOS = 60_000_000_000L;

    private final SqliteConfig config;
    private final ForwardState state;
    private final SqliteReadSide reading;
    private final SqliteReadSide writing;
    private final OutboxRows rows;
    private ForwarderLock lock;
    private Connection reader;
    private Connection writer;
    private UUID source;
    /** The server's name; set once by attach. Guarded by this. */
    private String target;
    /** The mark: the last shipped row's rowid and id. Guarded by this. */
    private long shippedThrough;
    private String shippedThroughId;
    /** Rows at or below the mark, as last counted or moved; -1 when not counted yet. Guarded by this. */
    private long kept = -1;
    /** When the rows at or below the mark were last counted, on the nanosecond clock. */
    private long lastCount = System.nanoTime() - COUNT_EVERY_NANOS;
    private long shipped;
    private Instant shippedAt;

    private SqliteOutbox(SqliteConfig config) {
        this.config = config;
        this.state = new ForwardState(config.tableName());
        this.reading = (SqliteReadSide) SqliteReadSide.dialect(config);
        this.writing = (SqliteReadSide) SqliteReadSide.pruning(config);
        this.rows = new OutboxRows(config.tableName());
    }

    /**
     * The outbox of {@code config}'s file: creates the progress tables and the file's identity if they
     * are missing. Which server it ships to is known once that server answered: {@link #attach}.
     *
     * @throws StoreFailure when the file is missing or cannot be read
     */
    public static SqliteOutbox open(SqliteConfig config) {
        if (!Files.isRegularFile(config.path())) {
            throw StoreFailure.notWritten("no SQLite file " + config.path() + " to forward: record into it first",
                    null, Kind.READ_ONLY, SqliteErrors.CANTOPEN, false);
        }
        SqliteOutbox outbox = new SqliteOutbox(config);
        try {
            outbox.createState();
            return outbox;
        } catch (RuntimeException | Error e) {
            outbox.close();
            throw e;
        }
    }

    /**
     * Forgets {@code target}: its mark goes, and with it what it kept pruning from deleting.
     *
     * @return whether the file had shipped to it
     * @throws StoreFailure when the file cannot be written
     */
    public static boolean forget(SqliteConfig config, String target) {
        SqliteReadSide writing = (SqliteReadSide) SqliteReadSide.pruning(config);
        try (Connection connection = writing.connectForWriting()) {
            writing.begin(connection);
            try {
                boolean forgotten = new ForwardState(config.tableName()).forget(connection, target);
                writing.commit(connection);
                return forgotten;
            } catch (SQLException | RuntimeException e) {
                writing.rollback(connection);
                throw e;
            }
        } catch (SQLException e) {
            Kind kind = SqliteErrors.kind(e);
            throw new StoreFailure("forgetting forwarding target " + target + " of " + config.path() + " failed: "
                    + SqliteErrors.describe(e), e, kind, SqliteErrors.resultCode(e), WriteOutcome.NOT_WRITTEN,
                    kind == Kind.BUSY);
        } finally {
            writing.close();
        }
    }

    private void createState() {
        inWriteTransaction("opening the forwarding progress of", writer -> source = state.create(writer));
    }

    /**
     * Names the server this outbox ships to, by the server's own identity, and loads its mark: takes the
     * lock file that keeps a second forwarder of this file to that server out, and adopts a mark kept
     * under {@code earlierName} (how an earlier version named the same server) if there is none under
     * {@code target}. Nothing is written for a server until rows were shipped to it.
     *
     * @throws StoreFailure when another forwarder ships this file to that server, or the file cannot be read
     */
    public void attach(String target, String earlierName) {
        if (target.equals(this.target)) {
            return;
        }
        if (this.target != null) {
            throw new IllegalStateException("this outbox ships to " + this.target + ", not to " + target);
        }
        lock = ForwarderLock.take(config.path(), target);
        inWriteTransaction("reading the forwarding mark of", writer -> {
            ForwardState.Mark found = null;
            ForwardState.Mark earlier = null;
            for (ForwardState.Mark each : state.marks(writer)) {
                if (each.target().equals(target)) {
                    found = each;
                } else if (each.target().equals(earlierName)) {
                    earlier = each;
                }
            }
            if (found == null && earlier != null) {
                state.rename(writer, earlierName, target);
                found = earlier;
            }
            synchronized (this) {
                this.target = target;
                if (found != null) {
                    shippedThrough = found.shippedThrough();
                    shippedThroughId = found.shippedThroughId();
                    kept = found.kept();
                    shipped = found.shipped();
                    shippedAt = found.shippedAt();
                }
            }
        });
    }

    /** The server's name this outbox ships to, or {@code null} until {@link #attach}. */
    public synchronized String target() {
        return target;
    }

    /** A step of a write transaction on the writer's connection. */
    private interface WriteStep {
        void run(Connection writer) throws SQLException;
    }

    private void inWriteTransaction(String action, WriteStep step) {
        try {
            Connection writer = writer();
            writing.begin(writer);
            try {
                step.run(writer);
                writing.commit(writer);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(writer, e);
                throw e;
            }
        } catch (SQLException e) {
            throw writeFailure(action, e);
        }
    }

    @Override
    public UUID sourceId() {
        return source;
    }

    /**
     * Checks that the mark still names the row it was set after, and, at most once a minute, that the
     * file holds as many rows at or below the mark as were shipped (less what pruning deleted): a row
     * that appeared there since (another client's insert with an explicit rowid) would otherwise never
     * be shipped. Either way the file is read again from its start, and the reset mark is saved at
     * once, so that a prune meanwhile cannot delete rows the server does not hold.
     */
    @Override
    public boolean checkMark() {
        long through;
        String throughId;
        synchronized (this) {
            through = shippedThrough;
            throughId = shippedThroughId;
        }
        if (through == 0) {
            return false;
        }
        try {
            Connection connection = reader();
            boolean moved = !markStands(connection, through, throughId);
            if (!moved && System.nanoTime() - lastCount >= COUNT_EVERY_NANOS) {
                lastCount = System.nanoTime();
                long count = state.countThrough(connection, through);
                long expected;
                synchronized (this) {
                    expected = kept;
                }
                if (count > expected && expected >= 0) {
                    moved = true;
                } else if (count != expected) {
                    // Rows deleted behind the mark, or a file of an earlier version that never counted.
                    inWriteTransaction("counting the forwarded rows of", writer -> state.recount(writer, target, count));
                    synchronized (this) {
                        kept = count;
                    }
                }
            }
            if (!moved) {
                return false;
            }
            inWriteTransaction("resetting the forwarding mark of", writer -> state.reset(writer, target));
            synchronized (this) {
                shippedThrough = 0;
                shippedThroughId = null;
                kept = 0;
            }
            return true;
        } catch (SQLException e) {
            throw failure("checking the forwarding mark of", e);
        }
    }

    /** Whether the row at the mark is the one it was set after, or was pruned with newer rows after it. */
    private boolean markStands(Connection connection, long through, String throughId) throws SQLException {
        List<ForwardedRow> at = rows.at(connection, through, source);
        if (!at.isEmpty()) {
            return at.get(0).id().toString().equals(throughId);
        }
        try (PreparedStatement max = connection.prepareStatement("SELECT max(rowid) FROM \""
                + config.tableName() + "\""); ResultSet rows = max.executeQuery()) {
            // The mark's row was deleted (shipped and pruned); newer rows follow it.
            return rows.next() && rows.getLong(1) >= through;
        }
    }

    @Override
    public long lastPosition() {
        try (PreparedStatement max = reader().prepareStatement("SELECT coalesce(max(rowid), 0) FROM \""
                + config.tableName() + "\""); ResultSet rows = max.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw failure("reading the newest row of", e);
        }
    }

    @Override
    public synchronized long mark() {
        return shippedThrough;
    }

    @Override
    public List<ForwardedRow> next(long after, int max) {
        try {
            return rows.after(reader(), after, max, source);
        } catch (SQLException e) {
            throw failure("reading unshipped rows of", e);
        }
    }

    @Override
    public void markShipped(ForwardedRow last, int rows) {
        Instant now = Instant.now();
        String name = target();
        if (name == null) {
            throw new IllegalStateException("no server attached to mark shipped rows for");
        }
        inWriteTransaction("moving the forwarding mark of", writer -> state.advance(writer, name, source,
                last.position(), last.id().toString(), rows, now, writing));
        synchronized (this) {
            shippedThrough = last.position();
            shippedThroughId = last.id().toString();
            kept = kept < 0 ? -1 : kept + rows;
            shipped += rows;
            shippedAt = now;
        }
    }

    @Override
    public Progress progress() {
        long through;
        synchronized (this) {
            through = shippedThrough;
        }
        try (Connection connection = reading.connect()) {
            Progress left = unshipped(connection, config.tableName(), through);
            synchronized (this) {
                return new Progress(left.unshipped(), left.oldestUnshipped(), shipped, shippedAt);
            }
        } catch (SQLException e) {
            throw classified("reading the forwarding progress of", e);
        }
    }

    /** The rows after {@code through}, and the recording time of the first of them. */
    static Progress unshipped(Connection connection, String table, long through) throws SQLException {
        long count;
        Instant oldest = null;
        try (PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM \"" + table + "\" WHERE rowid > ?")) {
            select.setLong(1, through);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                count = rows.getLong(1);
            }
        }
        if (count > 0) {
            try (PreparedStatement select = connection.prepareStatement("SELECT CAST(ts AS TEXT) FROM \"" + table
                    + "\" WHERE rowid > ? ORDER BY rowid LIMIT 1")) {
                select.setLong(1, through);
                try (ResultSet rows = select.executeQuery()) {
                    oldest = rows.next() ? SqliteReadSide.parseTime(rows.getString(1)) : null;
                }
            }
        }
        return new Progress(count, oldest, 0, null);
    }

    @Override
    public long deleteShippedBefore(Instant before) {
        try {
            // The pruning condition keeps every row after the lowest mark (ForwardState.onlyShipped).
            return new Pruning(writing).prune(writer(), before, false, deleted -> { }).deleted();
        } catch (SQLException e) {
            throw writeFailure("deleting shipped rows of", e);
        }
    }

    private Connection writer() throws SQLException {
        if (writer == null) {
            writer = writing.connectForWriting();
        }
        return writer;
    }

    private Connection reader() throws SQLException {
        if (reader == null) {
            reader = reading.connect();
        }
        return reader;
    }

    /** A failure of the read side: its connection may be broken, and the next read opens another. */
    private StoreFailure failure(String action, SQLException e) {
        closeReader();
        return classified(action, e);
    }

    /** A failure of a write: its connection may be broken, and the next write opens another. */
    private StoreFailure writeFailure(String action, SQLException e) {
        closeWriter();
        return classified(action, e);
    }

    private StoreFailure classified(String action, SQLException e) {
        // The recorders' lock file held past the busy timeout is busy too.
        Kind kind = "SQLITE_BUSY".equals(e.getSQLState()) ? Kind.BUSY : SqliteErrors.kind(e);
        return new StoreFailure(action + " " + config.path() + " failed: " + SqliteErrors.describe(e), e, kind,
                SqliteErrors.resultCode(e), WriteOutcome.NOT_WRITTEN, kind == Kind.BUSY || kind == Kind.IO);
    }

    private void rollbackQuietly(Connection writer, Exception cause) {
        try {
            writing.rollback(writer);
        } catch (SQLException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (java.sql.Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private void closeConnections() {
        closeReader();
        closeWriter();
    }

    private void closeReader() {
        if (reader != null) {
            closeQuietly(reader);
            reader = null;
        }
    }

    private void closeWriter() {
        if (writer != null) {
            closeQuietly(writer);
            writer = null;
        }
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            // Dropped anyway.
        }
    }

    @Override
    public void close() {
        closeConnections();
        writing.close();
        if (lock != null) {
            lock.close();
            lock = null;
        }
    }
}
