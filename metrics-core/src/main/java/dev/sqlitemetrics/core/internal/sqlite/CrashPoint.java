package dev.sqlitemetrics.core.internal.sqlite;

import java.util.Locale;

/**
 * Test-only hooks: points of the write path at which a JVM started with
 * {@code -Dsqlitemetrics.test.crashAt=<point>} halts at once, as if killed with SIGKILL (no finally
 * blocks, no shutdown hooks). Unset, every check is a comparison with {@code null}.
 */
enum CrashPoint {
    /** The write lock is taken, nothing inserted. */
    AFTER_BEGIN,
    /** The rows are inserted, not committed. */
    AFTER_INSERT,
    /** COMMIT returned, the callers are not told yet. */
    AFTER_COMMIT;

    private static final CrashPoint ARMED = armed(System.getProperty("sqlitemetrics.test.crashAt"));

    private static CrashPoint armed(String name) {
        return name == null ? null : valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** Halts the JVM if this is the armed point. */
    void reach() {
        if (ARMED == this) {
            Runtime.getRuntime().halt(137);
        }
    }
}
