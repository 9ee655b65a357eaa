package dev.sqlitemetrics.core;

import java.time.Duration;
import java.util.UUID;

/**
 * The library's own exception types, made by a fake recorder in the testkit's tests: their
 * constructors are package-private, so this test helper lives in the core's package.
 */
public final class FakeFailures {
    private FakeFailures() {
    }

    /** "Outcome unknown", as after an I/O error at COMMIT. */
    public static MetricsException unknown(StoreConfig config, UUID id) {
        return new StorageIoException("fake: COMMIT to " + config.database() + " failed; outcome unknown", null,
                new MetricsException.Failure(path(config), config.database(), 778, null, WriteOutcome.UNKNOWN, 1,
                        Duration.ZERO, id));
    }

    /** "Busy, definitely not written". */
    public static MetricsException notWritten(StoreConfig config, UUID id) {
        return new DatabaseBusyException("fake: " + config.database() + " is locked; not written", null,
                new MetricsException.Failure(path(config), config.database(), 5, null, WriteOutcome.NOT_WRITTEN, 1,
                        Duration.ZERO, id));
    }

    private static java.nio.file.Path path(StoreConfig config) {
        return config instanceof SqliteConfig sqlite ? sqlite.path() : null;
    }
}
