package dev.sqlitemetrics.core.internal.write;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One validated record waiting for the writer, with the future its caller waits on.
 * Internal: not part of the API.
 *
 * @param id             the idempotency key
 * @param timestampMillis when the caller recorded it (Unix milliseconds)
 * @param message        the {@code msg} column
 * @param task           the {@code task} column, or {@code null}
 * @param outcome        the {@code outcome} column, or {@code null}
 * @param durationMillis the {@code duration_ms} column, or {@code null}
 * @param attributesJson the {@code attributes} column, or {@code null}
 * @param pid            the recording process (the {@code pid} column): this one's, or, for a record a
 *                       leader took from the host's shared spool, its owner's
 * @param future         completed with the id after COMMIT, or exceptionally
 * @param async          whether the caller may attach callbacks (then it is completed off the writer thread)
 * @param submittedNanos when the caller handed it over, on the {@link System#nanoTime()} clock: how
 *                       long it may wait in the queue is counted from here
 */
public record PendingRecord(UUID id, long timestampMillis, String message, String task, String outcome,
                            Double durationMillis, String attributesJson, long pid,
                            CompletableFuture<UUID> future, boolean async, long submittedNanos) {
    /** This process's id, the {@code pid} of every record it makes. */
    public static final long THIS_PROCESS = ProcessHandle.current().pid();
}
