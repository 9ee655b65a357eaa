package dev.sqlitemetrics.core.internal.forward;

import dev.sqlitemetrics.core.ForwardResult;
import dev.sqlitemetrics.core.ForwarderConfig;
import dev.sqlitemetrics.core.ForwarderListener;
import dev.sqlitemetrics.core.ForwardingLag;
import dev.sqlitemetrics.core.MetricsException;
import dev.sqlitemetrics.core.MetricsForwarder;
import dev.sqlitemetrics.core.WriteOutcome;
import dev.sqlitemetrics.core.internal.write.Failures;
import dev.sqlitemetrics.core.internal.write.GuardedListener;
import dev.sqlitemetrics.core.internal.write.StoreFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;

/**
 * {@link MetricsForwarder} from a local file to a server's table: the shared {@link Forwarding} on
 * the file's {@link Outbox} and the server's {@link Central}, its retries, its thread, and failures as
 * {@link MetricsException}s. Which stores those are is decided where it is opened.
 */
public final class FileForwarder implements MetricsForwarder {
    private static final Logger LOG = LoggerFactory.getLogger(FileForwarder.class);
    /** Deleting shipped rows is looked at this often, at most. */
    private static final Duration DELETE_EVERY = Duration.ofMinutes(1);

    private final ForwarderConfig config;
    private final Outbox outbox;
    private final Central central;
    private final ForwarderListener listener;
    private final Forwarding forwarding;
    private final ForwardRetry retry;
    private final Failures localFailures;
    private final Failures serverFailures;
    private final Object monitor = new Object();
    /** Guarded by monitor. */
    private volatile Thread thread;
    private volatile boolean stopping;
    /** Whether the thread is waiting before its next try (which closing may cut short). */
    private volatile boolean inBackoff;
    /** Whether the closing thread ships what is left, whose waits closing must not cut short. */
    private volatile boolean draining;
    private boolean closed;
    private long batchesSinceFailure;
    private Instant lastDeletion = Instant.MIN;
    private int warnedAt;

    /**
     * @param earlierName what files of an earlier version called the server (its URL's text), or null
     */
    public FileForwarder(ForwarderConfig config, Outbox outbox, Central central, String earlierName,
                         ForwarderListener listener) {
        this.config = config;
        this.outbox = outbox;
        this.central = central;
        this.listener = listener;
        this.localFailures = new Failures(config.source());
        this.serverFailures = new Failures(config.target());
        this.forwarding = new Forwarding(outbox, central, earlierName, config.batchSize(), new Forwarding.Events() {
            @Override
            public void shipped(int rows, int alreadyThere, Duration elapsed) {
                batchesSinceFailure++;
                GuardedListener.shielded(() -> listener.onShipped(rows, alreadyThere, elapsed), "forwarder onShipped");
            }

            @Override
            public void readingAgain() {
                LOG.warn("sqlite-metrics: the rows of {} were renumbered or replaced since they were last shipped to {};"
                        + " shipping the file again from its start (the server skips the ids it holds)",
                        config.source().path(), target());
            }
        });
        this.retry = new ForwardRetry(config.maxBackoff(), this::retrying);
    }

    /** The server's name: its identity once it answered, its URL before. */
    private String target() {
        String identified = outbox.target();
        return identified != null ? identified : config.target().database() + " " + config.target().tableName();
    }

    @Override
    public ForwardResult forwardAll() {
        synchronized (monitor) {
            if (closed || thread != null) {
                throw new IllegalStateException(closed ? "the forwarder is closed"
                        : "the forwarder is running in the background and ships by itself");
            }
            return shipThrough(call(outbox::lastPosition));
        }
    }

    /**
     * Ships every row up to {@code through}, trying again within the target's retry deadline, which
     * starts afresh after each batch that made it.
     */
    private ForwardResult shipThrough(long through) {
        long start = System.nanoTime();
        long rows = 0;
        long alreadyThere = 0;
        int batches = 0;
        while (true) {
            batchesSinceFailure = 0;
            try {
                Forwarding.Shipped shipped = retry.within(config.target().retry().deadline(),
                        () -> forwarding.ship(through, () -> false));
                rows += shipped.rows();
                alreadyThere += shipped.alreadyThere();
                batches += shipped.batches();
                return new ForwardResult(rows, alreadyThere, batches, Duration.ofNanos(System.nanoTime() - start));
            } catch (StoreFailure | Forwarding.ServerFailure failure) {
                if (batchesSinceFailure == 0 || !ForwardRetry.retryable(failure)) {
                    throw translate(failure, 1, Duration.ofNanos(System.nanoTime() - start));
                }
                // Batches made it since the deadline began: it starts afresh.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MetricsException("interrupted while forwarding " + config.source().path() + " to " + target()
                        + " (every batch shipped so far is marked)", e, context());
            }
        }
    }

    @Override
    public MetricsForwarder start() {
        synchronized (monitor) {
            if (closed || thread != null) {
                throw new IllegalStateException(closed ? "the forwarder is closed" : "the forwarder is running already");
            }
            thread = new Thread(this::run, "sqlite-metrics-forwarder");
            // Nothing is lost when the JVM exits under it: the mark is in the file.
            thread.setDaemon(true);
            thread.start();
            return this;
        }
    }

    private void run() {
        try {
            while (!stopping) {
                try {
                    retry.untilStopped(this::pass, () -> stopping);
                } catch (InterruptedException e) {
                    break;
                } catch (RuntimeException e) {
                    if (!stopping) {
                        LOG.error("sqlite-metrics forwarder of {} stopped trying a pass: {}", config.source().path(),
                                e.toString(), e);
                    }
                }
                synchronized (monitor) {
                    if (!stopping) {
                        monitor.wait(config.pollInterval().toMillis());
                    }
                }
            }
        } catch (InterruptedException e) {
            // Closing.
        } finally {
            try {
                drain();
            } finally {
                release();
            }
        }
    }

    /**
     * The last act of a running forwarder that is closed: ships what was recorded until then, within
     * the target's retry deadline, so that closing never leaves rows behind that a server could take.
     */
    private void drain() {
        draining = true;
        Thread.interrupted();
        try {
            ForwardResult last = shipThrough(call(outbox::lastPosition));
            LOG.debug("sqlite-metrics forwarder of {} shipped {} rows while closing", config.source().path(), last.rows());
            // Where it ended: the listener's last word on the lag.
            ForwardingLag lag = lag(call(outbox::progress));
            GuardedListener.shielded(() -> listener.onLag(lag), "forwarder onLag");
        } catch (MetricsException e) {
            LOG.warn("sqlite-metrics forwarder of {} closed with rows not shipped to {} (they stay in the file and"
                    + " ship next time): {}", config.source().path(), target(), e.getMessage());
        }
    }

    /** One pass: ship everything present, delete what is due, report what is left. */
    private Forwarding.Shipped pass() {
        inBackoff = false;
        Forwarding.Shipped shipped = forwarding.ship(Long.MAX_VALUE, () -> stopping);
        warnedAt = 0;
        if (config.deleteShippedAfter() != null && !stopping) {
            Instant now = Instant.now();
            if (Duration.between(lastDeletion, now).compareTo(DELETE_EVERY) >= 0) {
                long deleted = outbox.deleteShippedBefore(now.minus(config.deleteShippedAfter()));
                lastDeletion = now;
                if (deleted > 0) {
                    GuardedListener.shielded(() -> listener.onDeleted(deleted), "forwarder onDeleted");
                }
            }
        }
        if (!stopping) {
            ForwardingLag lag = lag(outbox.progress());
            GuardedListener.shielded(() -> listener.onLag(lag), "forwarder onLag");
        }
        return shipped;
    }

    private void retrying(RuntimeException failure, int attempt, Duration wait) {
        inBackoff = thread != null;
        MetricsException translated = translate(failure, attempt, Duration.ZERO);
        // The first failure and then each doubling of the count: an outage of hours logs a few dozen lines.
        if (attempt >= 2 * warnedAt || attempt == 1) {
            warnedAt = attempt;
            LOG.warn("sqlite-metrics forwarder of {}: try {} failed, trying again in {} ms: {}", config.source().path(),
                    attempt, wait.toMillis(), translated.getMessage());
        }
        GuardedListener.shielded(() -> listener.onRetry(attempt, translated, wait), "forwarder onRetry");
    }

    @Override
    public ForwardingLag lag() {
        return lag(call(outbox::progress));
    }

    private ForwardingLag lag(Outbox.Progress progress) {
        return new ForwardingLag(target(), outbox.sourceId(), progress.unshipped(), progress.oldestUnshipped(),
                progress.shipped(), progress.lastShipped());
    }

    private <T> T call(java.util.function.Supplier<T> local) {
        try {
            return local.get();
        } catch (StoreFailure failure) {
            throw translate(failure, 1, Duration.ZERO);
        }
    }

    private MetricsException translate(RuntimeException failure, int attempts, Duration elapsed) {
        if (failure instanceof Forwarding.ServerFailure server) {
            return serverFailures.translate(server.failure(), null, attempts, elapsed);
        }
        if (failure instanceof StoreFailure local) {
            return localFailures.translate(local, null, attempts, elapsed);
        }
        return new MetricsException("forwarding " + config.source().path() + " to " + target() + " failed: " + failure,
                failure, context());
    }

    private MetricsException.Failure context() {
        return new MetricsException.Failure(config.source().path(), config.target().database(),
                MetricsException.NO_RESULT_CODE, null, WriteOutcome.NOT_WRITTEN, 0, Duration.ZERO, null);
    }

    @Override
    public void close() {
        Thread running;
        synchronized (monitor) {
            if (closed) {
                return;
            }
            closed = true;
            stopping = true;
            running = thread;
            monitor.notifyAll();
        }
        if (running == null) {
            release();
            return;
        }
        // A pass in flight ends after its batch and a backoff is cut short; then the thread ships what
        // is left within the retry deadline.
        try {
            while (running.isAlive()) {
                if (inBackoff && !draining) {
                    running.interrupt();
                }
                running.join(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void release() {
        forwarding.close();
        central.close();
        outbox.close();
    }
}
