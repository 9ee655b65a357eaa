package dev.sqlitemetrics.core.internal.sqlite;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive OS lock on a sidecar file ({@code <database>.lock}) that writers take before
 * {@code BEGIN IMMEDIATE}, so that writers of different processes wait for each other in the
 * kernel's queue instead of in SQLite's busy handler, which sleeps in coarse steps with no order.
 *
 * <p>Only an optimisation: SQLite's own lock still guards the data, and clients that do not know
 * the sidecar (the {@code sqlite3} shell, Python) still meet at it. Never the database file itself:
 * closing any descriptor of that file would drop SQLite's POSIX locks. Java file locks belong to
 * the whole JVM, so recorders of one JVM on one database share the channel and queue on a fair
 * in-JVM lock first. A wait past the deadline closes the channel to unblock, and reports busy.
 */
final class SidecarLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SidecarLock.class);
    private static final ConcurrentHashMap<Path, Shared> SHARED = new ConcurrentHashMap<>();
    private static final ScheduledExecutorService ALARMS = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sqlite-metrics-sidecar-alarm");
        thread.setDaemon(true);
        return thread;
    });

    private static final int WAITING = 0;
    private static final int GRANTED = 1;
    private static final int TIMED_OUT = 2;

    private final Shared shared;
    private boolean closed;

    /** One sidecar file with its JVM-wide channel and in-JVM queue. */
    private static final class Shared {
        final Path path;
        final ReentrantLock inJvm = new ReentrantLock(true);
        int users;
        FileChannel channel;

        Shared(Path path) {
            this.path = path;
        }

        /** The channel, reopened if a timed-out wait closed it. Called holding {@link #inJvm}. */
        FileChannel channel() throws IOException {
            if (channel == null || !channel.isOpen()) {
                channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            }
            return channel;
        }
    }

    private SidecarLock(Shared shared) {
        this.shared = shared;
    }

    /** The sidecar of {@code database}. */
    static SidecarLock of(Path database) {
        Path path = database.resolveSibling(database.getFileName() + ".lock");
        Shared shared = SHARED.compute(path, (key, existing) -> {
            Shared value = existing != null ? existing : new Shared(key);
            value.users++;
            return value;
        });
        return new SidecarLock(shared);
    }

    /** A held lock; release it after COMMIT or ROLLBACK. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Waits for the lock until {@code deadlineNanos} ({@link System#nanoTime()} clock).
     *
     * @return the held lock, or {@code null} if the deadline passed first
     */
    Held acquire(long deadlineNanos) throws InterruptedException {
        return acquire(deadlineNanos, false);
    }

    /**
     * As {@link #acquire(long)}, but only a lock that excludes every other process counts: if the
     * sidecar cannot be locked at all, returns {@code null} as well. What the leaders of a shared
     * spool need, since one of them alone may settle its records.
     */
    Held acquireExclusive(long deadlineNanos) throws InterruptedException {
        return acquire(deadlineNanos, true);
    }

    /** The exclusive lock if it is free now, without waiting; otherwise {@code null}. */
    Held tryAcquireExclusive() {
        if (!shared.inJvm.tryLock()) {
            return null;
        }
        FileLock lock = null;
        try {
            lock = shared.channel().tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            LOG.debug("sqlite-metrics cannot lock {}", shared.path, e);
        } finally {
            if (lock == null) {
                shared.inJvm.unlock();
            }
        }
        return lock == null ? null : held(lock);
    }

    private Held acquire(long deadlineNanos, boolean exclusive) throws InterruptedException {
        if (!shared.inJvm.tryLock(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            return null;
        }
        FileLockOutcome outcome = FileLockOutcome.TIMED_OUT;
        try {
            outcome = lockFile(deadlineNanos);
        } finally {
            if (outcome == FileLockOutcome.TIMED_OUT || (exclusive && outcome.lock == null)) {
                shared.inJvm.unlock();
            }
        }
        if (outcome == FileLockOutcome.TIMED_OUT || (exclusive && outcome.lock == null)) {
            return null;
        }
        return held(outcome.lock);
    }

    private Held held(FileLock lock) {
        return () -> {
            try {
                if (lock != null && lock.isValid()) {
                    lock.release();
                }
            } catch (IOException e) {
                LOG.debug("sqlite-metrics releasing {} failed; closing it", shared.path, e);
                closeChannel();
            } finally {
                shared.inJvm.unlock();
            }
        };
    }

    /** What waiting for the file lock came to. */
    private static final class FileLockOutcome {
        static final FileLockOutcome TIMED_OUT = new FileLockOutcome(null);
        /** The sidecar cannot be used at all; proceed with SQLite's lock alone. */
        static final FileLockOutcome UNUSABLE = new FileLockOutcome(null);

        final FileLock lock;

        FileLockOutcome(FileLock lock) {
            this.lock = lock;
        }
    }

    private FileLockOutcome lockFile(long deadlineNanos) {
        try {
            FileChannel channel = shared.channel();
            FileLock lock = channel.tryLock();
            if (lock == null) {
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) {
                    return FileLockOutcome.TIMED_OUT;
                }
                // The alarm and the kernel's grant can come together: one compare-and-set decides which
                // counts, so the alarm never closes the channel (dropping the lock) under a caller
                // that was told it holds the lock.
                AtomicInteger decision = new AtomicInteger(WAITING);
                ScheduledFuture<?> alarm = ALARMS.schedule(() -> {
                    if (decision.compareAndSet(WAITING, TIMED_OUT)) {
                        closeChannel();
                    }
                }, remaining, TimeUnit.NANOSECONDS);
                try {
                    lock = channel.lock();
                } catch (ClosedChannelException timedOut) {
                    return FileLockOutcome.TIMED_OUT;
                } finally {
                    alarm.cancel(false);
                }
                if (!decision.compareAndSet(WAITING, GRANTED)) {
                    // The alarm decided first: it closes the channel, and with it the lock just granted.
                    return FileLockOutcome.TIMED_OUT;
                }
            }
            return lock.isValid() ? new FileLockOutcome(lock) : FileLockOutcome.TIMED_OUT;
        } catch (IOException | OverlappingFileLockException e) {
            // A sidecar that cannot be used (read-only folder, another alias of the path in this JVM)
            // only costs fairness: SQLite's own lock still orders the writers.
            LOG.debug("sqlite-metrics cannot lock {}; relying on SQLite's lock alone", shared.path, e);
            return FileLockOutcome.UNUSABLE;
        }
    }

    private void closeChannel() {
        try {
            FileChannel channel = shared.channel;
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            LOG.debug("sqlite-metrics closing {} failed", shared.path, e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        SHARED.computeIfPresent(shared.path, (key, value) -> {
            if (--value.users > 0) {
                return value;
            }
            shared.inJvm.lock();
            try {
                closeChannel();
            } finally {
                shared.inJvm.unlock();
            }
            return null;
        });
    }
}
