package dev.sqlitemetrics.testkit.run;

import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.RecorderConfig;
import dev.sqlitemetrics.testkit.WriterKind;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
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
    public static void run(WriterKind kind, RecorderConfig config, Duration naiveBusyTimeout,
                           Function<RecorderConfig, MetricsRecorder> opener, int threads, int records,
                           long timeoutSeconds) throws IOException, InterruptedException, TimeoutException,
            ExecutionException {
        if (records == 0) {
            return;
        }
        Path scratch = Path.of(config.path() + ".warm-up-" + ProcessHandle.current().pid());
        RecorderConfig scratchConfig = config.toBuilder().path(scratch).build();
        try {
            // The table first, as for a level: the naive writer does not create it.
            MetricsRecorder.open(scratchConfig).close();
            try (AttemptWriter writer = AttemptWriter.of(kind, scratchConfig, naiveBusyTimeout, opener)) {
                ThreadWriters.run(writer, threads, records, "warm-up", ReleaseHooks.NONE, timeoutSeconds);
            }
        } finally {
            DatabaseFiles.deleteWithSidecar(scratch);
        }
    }
}
