package dev.sqlitemetrics.core.internal.postgres;

import java.sql.SQLException;
import java.util.UUID;

/**
 * A batch's record columns, one array each, as an insert over {@code unnest} binds them. Text is
 * made storable here, for the recorder and the forwarder alike: PostgreSQL's {@code text} and
 * {@code jsonb} hold no NUL character, which becomes U+FFFD ({@link PostgresText}).
 */
final class BatchColumns {
    private final UUID[] ids;
    private final Long[] times;
    private final String[] messages;
    private final String[] tasks;
    private final String[] outcomes;
    private final Double[] durations;
    private final String[] attributes;

    BatchColumns(int size) {
        ids = new UUID[size];
        times = new Long[size];
        messages = new String[size];
        tasks = new String[size];
        outcomes = new String[size];
        durations = new Double[size];
        attributes = new String[size];
    }

    /** Row {@code i}; the time in epoch milliseconds, any value but the id may be {@code null}. */
    void set(int i, UUID id, Long timeMillis, String message, String task, String outcome, Double durationMs,
             String attributesJson) {
        ids[i] = id;
        times[i] = timeMillis;
        messages[i] = PostgresText.storable(message);
        tasks[i] = PostgresText.storable(task);
        outcomes[i] = PostgresText.storable(outcome);
        durations[i] = durationMs;
        attributes[i] = PostgresText.storableJson(attributesJson);
    }

    /**
     * Binds the seven arrays to parameters {@code first} to {@code first + 6}: id uuid[], time int8[],
     * message, task and outcome text[], duration float8[], attributes text[].
     */
    void bind(ArrayParameters arrays, int first) throws SQLException {
        arrays.set(first, "uuid", ids).set(first + 1, "int8", times).set(first + 2, "text", messages)
                .set(first + 3, "text", tasks).set(first + 4, "text", outcomes).set(first + 5, "float8", durations)
                .set(first + 6, "text", attributes);
    }
}
