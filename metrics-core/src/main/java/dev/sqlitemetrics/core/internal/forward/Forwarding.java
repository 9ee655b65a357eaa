package dev.sqlitemetrics.core.internal.forward;

import dev.sqlitemetrics.core.internal.write.StoreFailure;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Ships a local file's rows to the central table, batch after batch, in commit order: read the rows
 * after the mark, insert them on the server (ids it holds already are skipped) and commit there, then
 * move the mark in the local file. A crash between the two commits ships the batch again, which the
 * ids make harmless: every row arrives exactly once. Internal: not part of the API.
 */
public final class Forwarding {
    private final Outbox outbox;
    private final Central central;
    private final int batchSize;
    private final Events events;

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

    public Forwarding(Outbox outbox, Central central, int batchSize, Events events) {
        this.outbox = outbox;
        this.central = central;
        this.batchSize = batchSize;
        this.events = events;
    }

    /**
     * Ships the rows up to position {@code through} ({@link Long#MAX_VALUE}: every row present until
     * none is left), or until {@code stopping} says so between two batches. A failure leaves the mark
     * after the last batch that made it; the next pass resumes there. A failure of the server is
     * thrown as a {@link ServerFailure}, one of the local file as the {@code StoreFailure} itself.
     */
    public Shipped ship(long through, BooleanSupplier stopping) {
        if (outbox.checkMark()) {
            events.readingAgain();
        }
        Shipped shipped = Shipped.NONE;
        while (!stopping.getAsBoolean()) {
            List<ForwardedRow> rows = outbox.next(batchSize);
            int end = rows.size();
            while (end > 0 && rows.get(end - 1).position() > through) {
                end--;
            }
            rows = rows.subList(0, end);
            if (rows.isEmpty()) {
                break;
            }
            long start = System.nanoTime();
            int added;
            try {
                added = central.insert(outbox.sourceId(), rows);
            } catch (StoreFailure failure) {
                throw new ServerFailure(failure);
            }
            outbox.markShipped(rows.get(rows.size() - 1), rows.size());
            events.shipped(rows.size(), rows.size() - added, Duration.ofNanos(System.nanoTime() - start));
            shipped = shipped.plus(rows.size(), rows.size() - added);
            if (rows.size() < batchSize) {
                break;
            }
        }
        return shipped;
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
