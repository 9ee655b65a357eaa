package dev.sqlitemetrics.core.internal.forward;

import dev.sqlitemetrics.core.WriteOutcome;
import dev.sqlitemetrics.core.internal.write.StoreFailure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * Ships a local file's rows to the central table, batch after batch, in commit order: read the rows
 * after the mark (the next batch is read while the server takes this one), insert them on the server (ids it holds already are skipped) and commit there, then
 * move the mark in the local file. A crash between the two commits ships the batch again, which the
 * ids make harmless: every row arrives exactly once. Internal: not part of the API.
 */
public final class Forwarding implements AutoCloseable {
    private final Outbox outbox;
    private final Central central;
    private final int batchSize;
    private final Events events;
    private final String earlierName;
    /** Reads the next batch while the server takes the current one; made on first use. */
    private ExecutorService reader;

    /** What a pass did, as it happens. Called on the forwarding thread. */
    public interface Events {
        /** A batch is on the server and the mark moved past it. */
        void shipped(int rows, int alreadyThere, Duration elapsed);

        /** The local file's rows were renumbered or replaced since the mark was set: reading again from its start. */
        void readingAgain();
    }

    /** What a pass shipped. */
    public record Shipped(long rows, long alreadyThere, int batches) {
        static final Shipped NONE = new Shipped(0, 0, 0);

        Shipped plus(int batchRows, int batchAlreadyThere) {
            return new Shipped(rows + batchRows, alreadyThere + batchAlreadyThere, batches + 1);
        }
    }

    /**
     * @param earlierName how an earlier version named the server in the file, or {@code null}: its
     *                    mark is adopted (see {@link Outbox#attach})
     */
    public Forwarding(Outbox outbox, Central central, String earlierName, int batchSize, Events events) {
        this.earlierName = earlierName;
        this.outbox = outbox;
        this.central = central;
        this.batchSize = batchSize;
        this.events = events;
    }

    /**
     * Ships the rows up to position {@code through} ({@link Long#MAX_VALUE}: every row present until
     * none is left), or until {@code stopping} says so between two batches. While the server takes
     * one batch, the next is read from the file. A failure leaves the mark after the last batch that
     * made it; the next pass resumes there. A failure of the server is thrown as a
     * {@link ServerFailure}, one of the local file as the {@code StoreFailure} itself.
     */
    public Shipped ship(long through, BooleanSupplier stopping) {
        if (outbox.target() == null) {
            String identity;
            try {
                identity = central.identify();
            } catch (StoreFailure failure) {
                throw new ServerFailure(failure);
            }
            outbox.attach(identity, earlierName);
        }
        if (outbox.checkMark()) {
            events.readingAgain();
        }
        Shipped shipped = Shipped.NONE;
        Future<List<ForwardedRow>> reading = read(outbox.mark());
        try {
            while (!stopping.getAsBoolean()) {
                List<ForwardedRow> read = take(reading);
                reading = null;
                List<ForwardedRow> rows = upTo(read, through);
                if (rows.isEmpty()) {
                    break;
                }
                ForwardedRow last = rows.get(rows.size() - 1);
                boolean more = read.size() == batchSize && last.position() < through;
                if (more) {
                    reading = read(last.position());
                }
                long start = System.nanoTime();
                int added;
                try {
                    added = central.insert(outbox.sourceId(), rows);
                } catch (StoreFailure failure) {
                    throw new ServerFailure(failure);
                }
                outbox.markShipped(last, rows.size());
                events.shipped(rows.size(), rows.size() - added, Duration.ofNanos(System.nanoTime() - start));
                shipped = shipped.plus(rows.size(), rows.size() - added);
                if (!more) {
                    break;
                }
            }
        } finally {
            if (reading != null) {
                // A batch read ahead that will not be shipped now: the next pass reads it again.
                awaitQuietly(reading);
            }
        }
        return shipped;
    }

    /** Reads the batch after {@code position} on the reading thread. */
    private Future<List<ForwardedRow>> read(long position) {
        if (reader == null) {
            reader = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "sqlite-metrics-forwarder-reader");
                thread.setDaemon(true);
                return thread;
            });
        }
        return reader.submit(() -> outbox.next(position, batchSize));
    }

    private static List<ForwardedRow> take(Future<List<ForwardedRow>> reading) {
        try {
            return reading.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reading.cancel(false);
            throw new StoreFailure("interrupted while reading rows to forward", e, StoreFailure.Kind.OTHER, -1,
                    WriteOutcome.NOT_WRITTEN, false);
        }
    }

    private static void awaitQuietly(Future<?> reading) {
        boolean interrupted = false;
        while (true) {
            try {
                reading.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code rows} without those after position {@code through}. */
    private static List<ForwardedRow> upTo(List<ForwardedRow> rows, long through) {
        int end = rows.size();
        while (end > 0 && rows.get(end - 1).position() > through) {
            end--;
        }
        return rows.subList(0, end);
    }

    /** Stops the reading thread. */
    @Override
    public void close() {
        if (reader != null) {
            reader.shutdownNow();
        }
    }

    /** A failure of the server, told apart from one of the local file. */
    public static final class ServerFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ServerFailure(StoreFailure failure) {
            super(failure.getMessage(), failure, false, false);
        }

        /** The server's classified failure. */
        public StoreFailure failure() {
            return (StoreFailure) getCause();
        }
    }
}
