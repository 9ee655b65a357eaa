package dev.sqlitemetrics.testkit.run;

import dev.sqlitemetrics.testkit.LockHog;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicReference;

/** Holds the write lock on another connection, as a {@link LockHog} says. Internal. */
public final class LockHogThread {
    private final Thread thread;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    private LockHogThread(Path db, LockHog hog) {
        this.thread = new Thread(() -> {
            try {
                Thread.sleep(hog.at().toMillis());
                try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
                     Statement statement = connection.createStatement()) {
                    statement.execute("PRAGMA busy_timeout = 60000");
                    statement.execute("BEGIN IMMEDIATE");
                    Thread.sleep(hog.hold().toMillis());
                    statement.execute("ROLLBACK");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (SQLException e) {
                failure.set(e);
            }
        }, "contention-lock-hog");
        thread.setDaemon(true);
    }

    /** Starts a hog on {@code db}. */
    public static LockHogThread start(Path db, LockHog hog) {
        LockHogThread hogThread = new LockHogThread(db, hog);
        hogThread.thread.start();
        return hogThread;
    }

    /** Waits for the hog to release the lock; a hog that failed to take it is a harness failure. */
    public void join() throws InterruptedException {
        thread.join();
        if (failure.get() != null) {
            throw new IllegalStateException("the lock hog could not hold the lock", failure.get());
        }
    }
}
