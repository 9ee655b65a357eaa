package dev.sqlitemetrics.core.internal.forward;

import java.time.Instant;
import java.util.UUID;

/**
 * One completion read from the local file, as the central table receives it. Internal: not part of the API.
 *
 * @param position   where it stands in the local file's commit order (its rowid)
 * @param id         its record id; for a row another client wrote without one, an id derived from the
 *                   file's identity and the row, the same each time it is read
 * @param time       when it was recorded, or {@code null} when the stored text is no time
 * @param message    the message, or {@code null}
 * @param task       the task, or {@code null}
 * @param outcome    the outcome, or {@code null}
 * @param durationMs how long it took, or {@code null}
 * @param attributes the attributes as JSON text, or {@code null}
 * @param pid        the recording process, or {@code null}
 */
public record ForwardedRow(long position, UUID id, Instant time, String message, String task, String outcome,
                           Double durationMs, String attributes, Integer pid) {
}
