package dev.sqlitemetrics.testkit.internal.run;

import dev.sqlitemetrics.testkit.LockHog;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the write lock on another connection, as a {@link LockHog} says, timed from the moment the
 * writers are released. A hog at zero takes the lock before the release, so writers certainly meet it.
 * Internal.
 */
public final class LockHogThread {
    private final LockHog hog;
    private final Thread thread;
    private final CountDownLatch released = new CountDownLatch(1);
    private final CountDownLatch armed = new CountDownLatch(1);
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    private LockHogThread(Path db, LockHog hog) {
        this.hog = hog;
        this.thread = new Thread(() -> {
            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
                 Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA busy_timeout = 60000");
                boolean early = hog.at().isZero();
                if (early) {
                    statement.execute("BEGIN IMMEDIATE");
                }
                armed.countDown();
                released.await();
                if (!early) {
                    Thread.sleep(hog.at().toMillis());
                    statement.execute("BEGIN IMMEDIATE");
                }
                Thread.sleep(hog.hold().toMillis());
                statement.execute("ROLLBACK");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (SQLException e) {
                failure.set(e);
            } finally {
                armed.countDown();
            }
        }, "contention-lock-hog");
        thread.setDaemon(true);
    }

    /** Starts a hog on {@code db} and returns once it is ready (holding the lock already if its delay is zero). */
    public static LockHogThread arm(Path db, LockHog hog) throws InterruptedException {
        LockHogThread hogThread = new LockHogThread(db, hog);
        hogThread.thread.start();
        if (!hogThread.armed.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the lock hog could not take the lock within 60s");
        }
        hogThread.rethrow();
        return hogThread;
    }

    /** Starts the hog's clock: call when the writers are released. */
    public void release() {
        released.countDown();
    }

    /** Waits for the hog to let the lock go; a hog that failed is a harness failure. */
    public void join() throws InterruptedException {
        released.countDown();
        thread.join(hog.at().plus(hog.hold()).toMillis() + 60_000);
        rethrow();
    }

    private void rethrow() {
        if (failure.get() != null) {
            throw new IllegalStateException("the lock hog could not hold the lock", failure.get());
        }
    }
}
