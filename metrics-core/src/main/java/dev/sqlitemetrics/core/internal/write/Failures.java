package dev.sqlitemetrics.core.internal.write;

import dev.sqlitemetrics.core.CorruptDatabaseException;
import dev.sqlitemetrics.core.DatabaseBusyException;
import dev.sqlitemetrics.core.InvalidRecordException;
import dev.sqlitemetrics.core.MetricsException;
import dev.sqlitemetrics.core.ReadOnlyDatabaseException;
import dev.sqlitemetrics.core.SchemaMismatchException;
import dev.sqlitemetrics.core.StorageFullException;
import dev.sqlitemetrics.core.StorageIoException;
import dev.sqlitemetrics.core.StoreConfig;
import dev.sqlitemetrics.core.WriteOutcome;
import dev.sqlitemetrics.core.internal.Stores;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Turns a store's classified failure into the public exception of its family, with a message that
 * is enough on its own to diagnose: what failed, the result code, the record, its outcome, the
 * attempts and time spent, and the settings that bound them.
 */
public final class Failures implements FailureTranslator {
    private final StoreConfig config;
    private final Path path;
    /** What must never be printed: the secrets of a server's URL and its password (read once). */
    private final List<String> secrets;

    public Failures(StoreConfig config) {
        this.config = config;
        this.path = Stores.file(config);
        this.secrets = Stores.secrets(config);
    }

    @Override
    public MetricsException translate(StoreFailure failure, UUID recordId, int attempts, Duration elapsed) {
        String message = Stores.scrub(failure.getMessage(), secrets)
                + (recordId == null ? "" : "; record " + recordId + (failure.outcome() == WriteOutcome.NOT_WRITTEN
                ? " not written" : " outcome unknown (record it again with the same id)"))
                + " after " + attempts + (attempts == 1 ? " attempt" : " attempts") + " in " + elapsed.toMillis() + "ms"
                + " [" + Stores.settings(config) + "]";
        MetricsException.Failure context = new MetricsException.Failure(path, config.database(), failure.resultCode(),
                failure.sqlState(), failure.outcome(), attempts, elapsed, recordId);
        // The driver's exception is the cause; the classification is internal and stays out of the chain.
        Throwable cause = failure.getCause();
        return switch (failure.kind()) {
            case BUSY -> new DatabaseBusyException(message, cause, context);
            case FULL -> new StorageFullException(message, cause, context);
            case IO -> new StorageIoException(message, cause, context);
            case READ_ONLY -> new ReadOnlyDatabaseException(message, cause, context);
            case CORRUPT -> new CorruptDatabaseException(message, cause, context);
            case SCHEMA -> new SchemaMismatchException(message, cause, context);
            // Invalid input means "not written"; refused content with an unknown outcome is no input error.
            case INVALID -> failure.outcome() == WriteOutcome.NOT_WRITTEN
                    ? new InvalidRecordException(message, cause, context)
                    : new MetricsException(message, cause, context);
            case OTHER -> new MetricsException(message, cause, context);
        };
    }

    /** A failure outside the store: the caller was interrupted while waiting. */
    public MetricsException interrupted(UUID recordId, WriteOutcome outcome, InterruptedException cause) {
        String message = "interrupted while recording to " + config.database() + "; record " + recordId
                + (outcome == WriteOutcome.NOT_WRITTEN ? " not written (withdrawn before the writer took it)"
                : " outcome unknown (the writer is committing it; record it again with the same id)");
        return new MetricsException(message, cause,
                new MetricsException.Failure(path, config.database(), MetricsException.NO_RESULT_CODE, null, outcome, 0,
                        Duration.ZERO, recordId));
    }
}
