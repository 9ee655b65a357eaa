package dev.sqlitemetrics.core;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of the table as read back. Rows that other clients inserted may lack everything but the
 * timestamp and message.
 *
 * @param id             the record's id, or {@code null} for a row without one (or with one that is not a UUID)
 * @param timestamp      when it was recorded
 * @param message        the {@code msg} column, or {@code null}
 * @param task           the task, or {@code null}
 * @param outcome        the outcome as stored ({@code SUCCEEDED}, ...), or {@code null}
 * @param durationMillis how long the job took, or {@code null}
 * @param attributesJson the attributes as a JSON object, or {@code null}
 * @param pid            the recording process's id, or {@code null}
 * @param host           the recording host (PostgreSQL), or {@code null}
 */
public record StoredCompletion(UUID id, Instant timestamp, String message, String task, String outcome,
                               Double durationMillis, String attributesJson, Long pid, String host) {
}
