package dev.sqlitemetrics.testkit.internal.run;

import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.core.StoreConfig;
import dev.sqlitemetrics.testkit.Calls;
import dev.sqlitemetrics.testkit.WriterKind;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * Runs a JVM's write path before a measured burst, on a scratch database beside the real one (same
 * file system, same settings), so the burst meets compiled code rather than a cold JVM. The scratch
 * files are deleted after. Internal.
 */
public final class WarmUp {
    private WarmUp() {
    }

    /**
     * Writes {@code records} records from each of {@code threads} threads to a scratch copy of
     * {@code config}'s database. Does nothing when {@code records} is 0.
     */
    public static void run(WriterKind kind, Target target, Duration naiveBusyTimeout,
                           Function<StoreConfig, MetricsRecorder> opener, int threads, int records,
                           long timeoutSeconds) throws Exception {
        if (records == 0) {
            return;
        }
        Path folder = target.config() instanceof SqliteConfig sqlite ? sqlite.path().getParent() : null;
        String name = target.config() instanceof SqliteConfig sqlite
                ? sqlite.path().getFileName() + ".warm-up-" + ProcessHandle.current().pid()
                : "warm_up_" + ProcessHandle.current().pid();
        Target scratch = target.named(folder, name);
        try {
            // The table first, as for a level: the naive writer does not create it.
            MetricsRecorder.open(scratch.config()).close();
            try (AttemptWriter writer = AttemptWriter.of(kind, scratch, naiveBusyTimeout, Calls.MIX, opener)) {
                ThreadWriters.run(writer, threads, records, "warm-up", ReleaseHooks.NONE, timeoutSeconds);
            }
        } finally {
            scratch.delete();
        }
    }
}
