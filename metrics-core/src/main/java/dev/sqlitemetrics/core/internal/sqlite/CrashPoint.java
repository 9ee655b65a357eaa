package dev.sqlitemetrics.core.internal.sqlite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Test-only hooks: points of the write path at which a JVM started with
 * {@code -Dsqlitemetrics.test.crashAt=<point>} halts at once, as if killed with SIGKILL (no finally
 * blocks, no shutdown hooks), and at which a JVM started with {@code -Dsqlitemetrics.test.stopAt=<point>}
 * stops itself with SIGSTOP the first time it gets there, as a frozen host would, until a test
 * sends it SIGCONT. Unset, every check is a comparison with {@code null}.
 *
 * <p>Why it ships: the crash tests must halt the very code path users run, not a test copy of it.
 * Why it is inert: the property is read once, when the class loads, and nothing else can arm it (no
 * API, no setter, package-private); without it no point ever halts. A JVM that sets the property
 * to a name that is no point fails at its first commit, so a mistyped crash test cannot pass by
 * never crashing.
 */
enum CrashPoint {
    /** The write lock is taken, nothing inserted. */
    AFTER_BEGIN,
    /** The rows are inserted, not committed. */
    AFTER_INSERT,
    /** COMMIT returned, the callers are not told yet. */
    AFTER_COMMIT,
    /** A leader took records of other processes from the shared spool; no transaction yet. */
    LEADER_AFTER_TAKE,
    /** A leader holding records of other processes has the write lock, nothing inserted. */
    LEADER_AFTER_BEGIN,
    /** A leader's COMMIT of other processes' records returned; the spool does not say so yet. */
    LEADER_AFTER_COMMIT;

    private static final CrashPoint ARMED = armed(System.getProperty("sqlitemetrics.test.crashAt"));
    private static final CrashPoint STOP = armed(System.getProperty("sqlitemetrics.test.stopAt"));
    private static final AtomicBoolean STOPPED = new AtomicBoolean();

    private static CrashPoint armed(String name) {
        return name == null ? null : valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** Halts the JVM if this is the armed point; stops it the first time if this is the stopping point. */
    void reach() {
        if (ARMED == this) {
            Runtime.getRuntime().halt(137);
        }
        if (STOP == this && STOPPED.compareAndSet(false, true)) {
            stopThisProcess();
        }
    }

    /** SIGSTOP to the whole JVM, every thread at once; returns once a SIGCONT resumed it. */
    private static void stopThisProcess() {
        try {
            new ProcessBuilder("kill", "-STOP", Long.toString(ProcessHandle.current().pid())).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException("the test hook could not stop this process", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
