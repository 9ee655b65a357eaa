package dev.sqlitemetrics.core.internal.write;

import java.time.Duration;
import java.util.UUID;

/** Turns a store failure into the public exception a caller sees. Internal: not part of the API. */
@FunctionalInterface
public interface FailureTranslator {

    /**
     * @param failure  the classified failure
     * @param recordId the record it is about, or {@code null} at open
     * @param attempts attempts made
     * @param elapsed  time since the first attempt
     */
    RuntimeException translate(StoreFailure failure, UUID recordId, int attempts, Duration elapsed);
}
