package dev.sqlitemetrics.core.internal.sqlite;

import dev.sqlitemetrics.core.ForwardingLag;
import dev.sqlitemetrics.core.HeldBack;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.core.internal.forward.Outbox;
import dev.sqlitemetrics.core.internal.read.PruneDialect;
import dev.sqlitemetrics.core.internal.read.ReadDialect;
import org.sqlite.SQLiteConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The read side on a SQLite file, retention included: read-only connections for reads; pruning in
 * {@code BEGIN IMMEDIATE} transactions (the write lock, waited for up to the busy timeout); rows
 * located by {@code rowid}; read-only connections that wait for a busy writer up to the
 * configured busy timeout; timestamps kept as UTC text ({@code 2026-12-01 08:30:00.123}, the
 * recorder's and the column default's format), which compares in time order; ids as text.
 * Internal: not part of the API.
 */
public final class SqliteReadSide implements PruneDialect {
    private static final DateTimeFormatter WRITTEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    /** What other clients may have stored too: seconds only, or a 'T' between date and time. */
    private static final DateTimeFormatter READ = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd").optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral('T').optionalEnd().appendPattern("HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendLiteral('Z').optionalEnd().toFormatter();

    private final SqliteConfig config;
    /** Pruning only, one thread: the recorders' lock file and the turn held on it. */
    private SidecarLock sidecar;
    private SidecarLock.Held held;

    private SqliteReadSide(SqliteConfig config) {
        this.config = config;
    }

    /** The dialect of {@code config}'s file. */
    public static ReadDialect dialect(SqliteConfig config) {
        return new SqliteReadSide(config);
    }

    /** The same, for pruning. */
    public static PruneDialect pruning(SqliteConfig config) {
        return new SqliteReadSide(config);
    }

    @Override
    public Connection connectForWriting() throws SQLException {
        SQLiteConfig settings = new SQLiteConfig();
        settings.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, config.busyTimeout().toMillis()));
        settings.setSynchronous(SQLiteConfig.SynchronousMode.valueOf(config.synchronous().name()));
        return DriverManager.getConnection("jdbc:sqlite:" + config.path(), settings.toProperties());
    }

    /**
     * Queues for the write lock where the recorders do, on their lock file, then takes it: a pruner
     * that raced them for SQLite's lock alone would win batch after batch while their busy handlers
     * sleep.
     */
    @Override
    public long begin(Connection connection) throws SQLException {
        if (sidecar == null) {
            sidecar = SidecarLock.of(config.path());
        }
        long start = System.nanoTime();
        try {
            held = sidecar.acquire(System.nanoTime() + config.busyTimeout().toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the write lock of " + config.path(), e);
        }
        if (held == null) {
            throw new SQLException("another writer of " + config.path() + " held its lock file for "
                    + config.busyTimeout().toMillis() + "ms", "SQLITE_BUSY");
        }
        try {
            execute(connection, "BEGIN IMMEDIATE");
            return System.nanoTime() - start;
        } catch (SQLException | RuntimeException e) {
            release();
            throw e;
        }
    }

    @Override
    public void commit(Connection connection) throws SQLException {
        try {
            execute(connection, "COMMIT");
        } finally {
            release();
        }
    }

    @Override
    public void rollback(Connection connection) throws SQLException {
        try {
            execute(connection, "ROLLBACK");
        } finally {
            release();
        }
    }

    private void release() {
        if (held != null) {
            held.close();
            held = null;
        }
    }

    @Override
    public void close() {
        release();
        if (sidecar != null) {
            sidecar.close();
            sidecar = null;
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (java.sql.Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    public List<ForwardingLag> forwarding(Connection connection) throws SQLException {
        List<ForwardingLag> lags = new ArrayList<>();
        for (ForwardState.Mark mark : new ForwardState(config.tableName()).marks(connection)) {
            Outbox.Progress left = SqliteOutbox.unshipped(connection, config.tableName(), mark.shippedThrough());
            lags.add(new ForwardingLag(mark.target(), mark.source(), left.unshipped(), left.oldestUnshipped(),
                    mark.shipped(), mark.shippedAt()));
        }
        return lags;
    }

    @Override
    public String onlyDeletable(Connection connection) throws SQLException {
        return new ForwardState(config.tableName()).onlyShipped(connection);
    }

    @Override
    public void deleted(Connection connection, int rows) throws SQLException {
        new ForwardState(config.tableName()).deleted(connection, rows);
    }

    @Override
    public List<HeldBack> heldBack(Connection connection, Instant before) throws SQLException {
        return new ForwardState(config.tableName()).heldBack(connection, this, before);
    }

    @Override
    public String rowLocator() {
        return "rowid";
    }

    @Override
    public String bigintType() {
        return "INTEGER";
    }

    @Override
    public String bytesType() {
        return "BLOB";
    }

    @Override
    public String table() {
        return config.tableName();
    }

    /**
     * A read-only connection. Reading a WAL file needs its {@code -shm} and {@code -wal} companions,
     * which exist while a writer has the file open and which SQLite creates otherwise: in a folder this
     * user may not write, with no writer about (no {@code -wal}), the file is opened as immutable,
     * which needs neither; a writer's companions this user cannot read are named in the failure.
     */
    @Override
    public Connection connect() throws SQLException {
        SQLiteConfig settings = new SQLiteConfig();
        settings.setReadOnly(true);
        settings.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, config.busyTimeout().toMillis()));
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + config.path(), settings.toProperties());
        try {
            probe(connection);
            return connection;
        } catch (SQLException e) {
            connection.close();
            Path folder = config.path().toAbsolutePath().getParent();
            Path wal = Path.of(config.path() + "-wal");
            Path shm = Path.of(config.path() + "-shm");
            if (!Files.exists(config.path()) || Files.isWritable(folder)) {
                throw e;
            }
            if (!Files.exists(wal)) {
                // No writer has the file open (a writer in WAL mode keeps its -wal while it runs): what is
                // in the file is all there is, and it cannot change while it is read.
                Connection immutable = DriverManager.getConnection("jdbc:sqlite:file:" + config.path().toUri().getRawPath()
                        + "?immutable=1", settings.toProperties());
                try {
                    probe(immutable);
                    return immutable;
                } catch (SQLException again) {
                    immutable.close();
                    again.addSuppressed(e);
                    throw again;
                }
            }
            SQLException explained = new SQLException("reading " + config.path() + " needs its " + shm.getFileName()
                    + " and " + wal.getFileName() + " files readable by this user (a writer has the file open;"
                    + " the folder is not writable, so they cannot be made anew): " + e.getMessage(),
                    e.getSQLState(), e.getErrorCode(), e);
            throw explained;
        }
    }

    /** The first read, where a file that cannot be read in this mode fails. */
    private static void probe(Connection connection) throws SQLException {
        try (java.sql.Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM sqlite_master")) {
            rows.next();
        }
    }

    @Override
    public Connection connectForSnapshot() throws SQLException {
        Connection connection = connect();
        try {
            // A deferred read transaction: its snapshot is taken at the first SELECT and kept until
            // the connection closes (which ends it).
            execute(connection, "BEGIN");
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    @Override
    public String hostColumn() {
        return "NULL";
    }

    @Override
    public void bindTime(PreparedStatement statement, int index, Instant time) throws SQLException {
        // Times are compared as text. On a whole second the bound is written without milliseconds, which
        // sorts before both that second's rows with milliseconds ("...:12.000") and those without
        // ("...:12", as other clients store them), so neither kind falls on the wrong side of it.
        String text = WRITTEN.format(time);
        statement.setString(index, time.getNano() / 1_000_000 == 0 && text.endsWith(".000")
                ? text.substring(0, text.length() - 4) : text);
    }

    @Override
    public Instant time(ResultSet rows, int column) throws SQLException {
        return parseTime(rows.getString(column));
    }

    /** A stored time as an instant, or {@code null} for none or text that is no time. */
    static Instant parseTime(String text) {
        if (text == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(text.strip(), READ).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Override
    public void bindId(PreparedStatement statement, int index, UUID id) throws SQLException {
        statement.setString(index, id.toString());
    }
}
