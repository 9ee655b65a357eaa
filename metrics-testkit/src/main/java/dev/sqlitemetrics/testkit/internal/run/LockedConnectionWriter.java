package dev.sqlitemetrics.testkit.internal.run;

import dev.sqlitemetrics.core.RecordIds;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What users write once they meet "database is locked": one connection per process, shared by its
 * threads behind a lock, each record its own {@code BEGIN IMMEDIATE} ... {@code COMMIT}, and a retry
 * loop around it for the locks other processes hold (sleep a few milliseconds, try again until a
 * deadline). Within one process the lock alone keeps SQLite's lock free; across processes the loop
 * does the waiting. Internal.
 */
final class LockedConnectionWriter extends AttemptWriter {
    private static final long RETRY_FOR_NANOS = 60_000_000_000L;

    private final String url;
    private final String insert;
    private Connection connection;
    private PreparedStatement statement;
    private Statement control;

    LockedConnectionWriter(String url, String insert) {
        this.url = url;
        this.insert = insert;
    }

    /** The call's time includes the wait for the lock, as a caller of such code waits. */
    @Override
    public Attempt write(int writer, int record, String msg) {
        UUID id = RecordIds.next();
        String content = RecordContent.hash(msg, null, null);
        long startMillis = System.currentTimeMillis();
        long start = System.nanoTime();
        synchronized (this) {
            return writeHoldingTheLock(id, msg, content, start, startMillis);
        }
    }

    private Attempt writeHoldingTheLock(UUID id, String msg, String content, long start, long startMillis) {
        Attempt.Status status = Attempt.Status.OK;
        String code = null;
        while (true) {
            boolean begun = false;
            try {
                open();
                control.execute("BEGIN IMMEDIATE");
                begun = true;
                statement.setString(1, id.toString());
                statement.setString(2, msg);
                statement.executeUpdate();
                control.execute("COMMIT");
                break;
            } catch (SQLException e) {
                boolean busy = e instanceof SQLiteException sqlite
                        && (sqlite.getResultCode().code & 0xFF) == SQLiteErrorCode.SQLITE_BUSY.code;
                rollback(begun);
                if (busy && System.nanoTime() - start < RETRY_FOR_NANOS) {
                    sleepAFewMillis();
                    continue;
                }
                code = e instanceof SQLiteException sqlite ? sqlite.getResultCode().name() : ResultCodes.name(e.getErrorCode());
                // A lock refused at BEGIN or a rolled-back transaction: not written; anything else may have written.
                status = busy ? Attempt.Status.NOT_WRITTEN : Attempt.Status.UNKNOWN;
                closeConnection();
                break;
            }
        }
        long end = System.nanoTime();
        return new Attempt(id.toString(), status, code, end - start, end, content, startMillis,
                System.currentTimeMillis());
    }

    private void open() throws SQLException {
        if (connection == null) {
            connection = DriverManager.getConnection(url);
            statement = connection.prepareStatement(insert);
            control = connection.createStatement();
            // No busy handler: the loop below is the waiting, as in such code.
            control.execute("PRAGMA busy_timeout = 0");
        }
    }

    private void rollback(boolean begun) {
        if (begun && connection != null) {
            try {
                control.execute("ROLLBACK");
            } catch (SQLException e) {
                closeConnection();
            }
        }
    }

    private static void sleepAFewMillis() {
        try {
            Thread.sleep(1 + ThreadLocalRandom.current().nextInt(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // Dropped anyway.
            }
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        closeConnection();
    }
}
