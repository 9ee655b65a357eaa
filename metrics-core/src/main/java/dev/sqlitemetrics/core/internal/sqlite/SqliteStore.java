package dev.sqlitemetrics.core.internal.sqlite;

import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.core.RecorderListener;
import dev.sqlitemetrics.core.WriteOutcome;
import dev.sqlitemetrics.core.internal.write.Batch;
import dev.sqlitemetrics.core.internal.write.Causes;
import dev.sqlitemetrics.core.internal.write.BatchStore;
import dev.sqlitemetrics.core.internal.write.Deadline;
import dev.sqlitemetrics.core.internal.write.PendingRecord;
import dev.sqlitemetrics.core.internal.write.StoreFailure;
import dev.sqlitemetrics.core.internal.write.StoreFailure.Kind;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Commits batches to a SQLite file: the seam that holds every SQLite specific (pragmas,
 * {@code BEGIN IMMEDIATE}, result codes, file identity). Internal: not part of the API.
 *
 * <p>Each batch is one {@code BEGIN IMMEDIATE} ... {@code COMMIT}, sent as plain statements on an
 * autocommit connection: IMMEDIATE takes the write lock up front, so the busy timeout applies
 * (a deferred transaction that read first would fail at once with SQLITE_BUSY_SNAPSHOT), and the
 * driver's own commit(), which starts the next transaction at once, is never used.
 */
public final class SqliteStore implements BatchStore {
    private enum Phase { BEGIN, INSERT, COMMIT }

    private final SqliteConfig config;
    private final RecorderListener listener;
    private final SqlitePragmas pragmas;
    private final SqliteSchema schema;
    private final FileIdentity identity;
    private final SqliteConnections connections;
    private final SidecarLock sidecar;
    /** The writer's connection; writer thread only. */
    private final WriterConnection writer;
    private final StaleCompanions companions;
    /** Writer thread only. */
    private boolean movedHandled;
    /** The host's shared spool, or {@code null} when this store commits alone. */
    private SharedCommit shared;

    private SqliteStore(SqliteConfig config, RecorderListener listener, SqlitePragmas pragmas, SqliteSchema schema,
                        FileIdentity identity, SqliteConnections connections, UnaryOperator<Connection> writerConnection) {
        this.config = config;
        this.listener = listener;
        this.pragmas = pragmas;
        this.schema = schema;
        this.identity = identity;
        this.connections = connections;
        this.writer = new WriterConnection(config.path(), connections, writerConnection, schema, config.busyTimeout(),
                listener);
        this.sidecar = SidecarLock.of(config.path());
        this.companions = new StaleCompanions(config.path());
    }

    /**
     * Creates the file and table if needed, checks them, and opens the pool.
     *
     * @param listener a listener that never throws (a {@code GuardedListener})
     * @throws StoreFailure when the file cannot be used; nothing was written to it then, and nothing
     *                      the attempt took (connections, threads, the lock file) is left held
     */
    public static SqliteStore open(SqliteConfig config, RecorderListener listener) {
        return open(config, listener, UnaryOperator.identity());
    }

    /**
     * As {@link #open(SqliteConfig, RecorderListener)}, with every connection the writer opens passed
     * through {@code writerConnection} first: the seam through which the write-path tests inject
     * failures at chosen statements. The recorder itself always passes the identity.
     */
    public static SqliteStore open(SqliteConfig config, RecorderListener listener,
                                   UnaryOperator<Connection> writerConnection) {
        SqlitePragmas pragmas = new SqlitePragmas(config);
        SqliteSchema schema = new SqliteSchema(config.tableName());
        new SqliteOpener(config, pragmas, schema).prepare();
        boolean network = NetworkFileSystems.warnIfNetwork(config.path());
        FileIdentity identity;
        try {
            identity = FileIdentity.of(config.path());
        } catch (IOException e) {
            throw StoreFailure.notWritten("cannot stat " + config.path() + " after opening it: " + e, e,
                    Kind.READ_ONLY, SqliteErrors.NONE, false);
        }
        SqliteConnections connections;
        try {
            connections = new SqliteConnections(config, pragmas, identity);
        } catch (RuntimeException e) {
            // HikariCP reports a first connection that failed as its own runtime exception.
            SQLException cause = Causes.first(e, SQLException.class).orElse(null);
            throw cause != null ? classify(config.path(), "opening the pool for", cause)
                    : StoreFailure.notWritten("opening the pool for " + config.path() + " failed: " + e, e,
                    Kind.OTHER, SqliteErrors.NONE, false);
        }
        SqliteStore store = null;
        try {
            store = new SqliteStore(config, listener, pragmas, schema, identity, connections, writerConnection);
            // The writer's connection now rather than in the first batch, which would pay for opening it
            // while every caller of a burst waits; the writer thread takes it over when it starts.
            store.writer.session();
            // Hosts sharing a network file system share no memory: never a spool there.
            if (config.sharedCommits() && !network) {
                store.shared = SharedCommit.open(config.path(), identity, store.kind(), store.sidecar,
                        config.busyTimeout(), config.maxBatchSize(), store::commitForSpool);
            }
            return store;
        } catch (RuntimeException | Error e) {
            if (store != null) {
                store.close();
            } else {
                connections.close();
            }
            throw e;
        }
    }

    @Override
    public void commit(Batch batch, Deadline deadline, boolean rewrite) {
        checkIdentity(WriteOutcome.NOT_WRITTEN);
        boolean leaderMayHaveWritten = false;
        if (shared != null && !rewrite && shared.takes(batch)) {
            leaderMayHaveWritten = shared.commit(batch, deadline);
            if (batch.records().isEmpty()) {
                companions.remember();
                return;
            }
        }
        try {
            WriterSession session = writer.session();
            // A caller's own attempt waits for no lock: it would rather hand its record to the writer thread.
            Deadline lockWait = batch.waitsForLocks() ? deadline : new Deadline(System.nanoTime());
            try (SidecarLock.Held held = waitForWriterLock(lockWait)) {
                commit(session, batch, lockWait, rewrite || leaderMayHaveWritten, CrashPoint.AFTER_BEGIN);
            }
            checkIdentity(WriteOutcome.UNKNOWN);
        } catch (StoreFailure failure) {
            // A leader's transaction may have written some of these rows: whatever this attempt met,
            // they may be in the file, and later attempts write them again (the writer's uncertainty).
            throw leaderMayHaveWritten ? failure.asUnknown("a shared commit of another writer of the host may have"
                    + " written records of this batch") : failure;
        }
        companions.remember();
    }

    /**
     * A leader's transaction for records taken from the shared spool; the caller holds the lock file.
     * The file is checked before and after, as for a batch of its own: records committed to a file
     * that moved count as failed, so that their writers commit them again to the file at the path.
     */
    private void commitForSpool(List<PendingRecord> records, boolean rewrite, boolean forOthers, Deadline deadline) {
        checkIdentity(WriteOutcome.NOT_WRITTEN);
        commit(writer.session(), Batch.of(records), deadline, rewrite,
                forOthers ? CrashPoint.LEADER_AFTER_BEGIN : CrashPoint.AFTER_BEGIN);
        checkIdentity(WriteOutcome.UNKNOWN);
    }

    /** What processes must agree on to share commits: where the rows go and how durably. */
    private String kind() {
        return schema.table() + "\n" + config.journalMode() + "\n" + config.synchronous();
    }

    /** Queues behind the other processes' writers in the kernel, for at most one busy timeout. */
    private SidecarLock.Held waitForWriterLock(Deadline deadline) {
        long wait = Math.min(config.busyTimeout().toNanos(), deadline.remaining().toNanos());
        SidecarLock.Held held;
        try {
            held = sidecar.acquire(System.nanoTime() + wait);
        } catch (InterruptedException e) {
            // Nothing interrupts the writer on purpose; count it as a busy wait and carry on.
            held = null;
        }
        if (held == null) {
            throw StoreFailure.notWritten("another writer of " + config.path() + " held its lock file for "
                    + wait / 1_000_000 + "ms", null, Kind.BUSY, SqliteErrors.BUSY, true);
        }
        return held;
    }

    /** @param afterBegin where a crash test may halt once the write lock is held: a leader's point differs */
    private void commit(WriterSession session, Batch batch, Deadline deadline, boolean rewrite, CrashPoint afterBegin) {
        Phase phase = Phase.BEGIN;
        try {
            session.limitBusyWait(deadline.remaining());
            session.execute("BEGIN IMMEDIATE");
            afterBegin.reach();
            phase = Phase.INSERT;
            // The write lock is ours now: whatever queued while we waited for it rides along.
            batch.admitLateJoiners();
            session.insert(batch.records(), rewrite);
            CrashPoint.AFTER_INSERT.reach();
            if (!batch.enterCommit()) {
                // The deadline passed and the callers were told "not written": that must stay true.
                SQLException expired = new SQLException("the batch's deadline passed before its COMMIT");
                if (!WriterConnection.rollback(session, expired)) {
                    writer.discard(null);
                }
                throw StoreFailure.notWritten("the retry deadline passed before the COMMIT to " + config.path()
                        + " could be sent; rolled back", null, Kind.IO, SqliteErrors.NONE, false);
            }
            phase = Phase.COMMIT;
            session.execute("COMMIT");
            batch.commitEnded(false);
            CrashPoint.AFTER_COMMIT.reach();
        } catch (SQLException e) {
            Kind kind = SqliteErrors.kind(e);
            boolean broken = SqliteErrors.evicts(kind);
            if (phase != Phase.BEGIN) {
                // A failed COMMIT (even BUSY) leaves the transaction open: roll back, or drop the connection.
                broken |= !WriterConnection.rollback(session, e);
            }
            session.resetStatements();
            if (broken) {
                writer.discard(e);
            }
            if (kind == Kind.CORRUPT) {
                connections.evictAll();
            }
            // BUSY leaves the transaction open and FULL rolls it back (the WAL frame that would mark the
            // commit could not be written); any other failure at COMMIT leaves the outcome unknown.
            if (phase == Phase.COMMIT) {
                batch.commitEnded(kind == Kind.BUSY || kind == Kind.FULL);
            }
            if (phase == Phase.COMMIT && kind != Kind.BUSY && kind != Kind.FULL) {
                throw unknownCommit(e, kind);
            }
            throw classify(config.path(), "writing to", e);
        } catch (StoreFailure expired) {
            throw expired;
        } catch (RuntimeException | Error e) {
            // Not the driver's SQLException: a defect, or an Error such as running out of memory while
            // binding a huge row. Wherever it struck, even inside the driver right after BEGIN, the
            // connection may hold the write lock: roll back, and drop the connection, whose close rolls
            // back whatever ROLLBACK could not, so every other writer can go on.
            SQLException cause = new SQLException(e.toString(), e);
            if (phase == Phase.COMMIT) {
                batch.commitEnded(false);
            }
            WriterConnection.rollbackQuietly(session, cause);
            writer.discard(cause);
            throw new StoreFailure("writing to " + config.path() + " failed unexpectedly: " + e, e, Kind.OTHER,
                    SqliteErrors.NONE, phase == Phase.COMMIT ? WriteOutcome.UNKNOWN : WriteOutcome.NOT_WRITTEN, false);
        }
    }

    /**
     * A COMMIT that failed for another reason than a busy lock has an unknown outcome, and reading the
     * ids back cannot settle it: in WAL mode the commit's frames may already be in the -wal file, and
     * crash recovery would replay them, while a row read back may sit in the page cache after a
     * failed fsync. Retrying is safe (the insert is idempotent on the id) when the retry writes the
     * present rows again: a later COMMIT that succeeds then has synced them itself.
     */
    private StoreFailure unknownCommit(SQLException error, Kind kind) {
        return new StoreFailure("COMMIT to " + config.path() + " failed: " + SqliteErrors.describe(error), error, kind,
                SqliteErrors.resultCode(error), WriteOutcome.UNKNOWN, kind == Kind.IO);
    }

    @Override
    public long count() {
        // An idle pooled connection would still answer from a file deleted or replaced since open, and a
        // new one would be refused over and over until the pool's timeout: say so at once instead.
        FileIdentity.Change change = identity.change();
        if (change != FileIdentity.Change.NONE) {
            throw StoreFailure.notWritten("database file " + config.path() + " " + FileIdentity.describe(change)
                    + "; not counting rows of another file", null, Kind.READ_ONLY, SqliteErrors.READONLY_DBMOVED, false);
        }
        try (Connection connection = connections.borrow();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM \"" + schema.table() + "\"")) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw classify(config.path(), "counting rows of " + schema.table() + " in", e);
        }
    }

    @Override
    public void close() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
        writer.close();
        sidecar.close();
        connections.close();
    }

    private void checkIdentity(WriteOutcome outcome) {
        FileIdentity.Change change = identity.change();
        if (change == FileIdentity.Change.NONE) {
            return;
        }
        if (change != FileIdentity.Change.UNCHECKABLE && !movedHandled) {
            movedHandled = true;
            // First out of the way, so nothing that opens the new file can pick them up.
            companions.setAside();
            writer.discard(null);
            connections.evictAll();
        }
        String consequence = outcome == WriteOutcome.NOT_WRITTEN ? "nothing was written"
                : "the last batch may have gone to the old file, not to the one now at the path";
        throw new StoreFailure("database file " + config.path() + " " + FileIdentity.describe(change) + "; "
                + consequence, null, Kind.READ_ONLY, SqliteErrors.READONLY_DBMOVED, outcome, false);
    }

    /** Classifies a failure that happened before any COMMIT was sent: nothing can have been written. */
    static StoreFailure classify(Path path, String action, SQLException e) {
        Kind kind = SqliteErrors.kind(e);
        String detail = action + " " + path + " failed: " + SqliteErrors.describe(e);
        return StoreFailure.notWritten(detail, e, kind, SqliteErrors.resultCode(e),
                kind == Kind.BUSY || kind == Kind.IO);
    }

}
