package dev.sqlitemetrics.consumercheck;

import dev.sqlitemetrics.core.Completion;
import dev.sqlitemetrics.core.MetricsReader;
import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.Outcome;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.micrometer.RecorderMeters;
import dev.sqlitemetrics.testkit.ContentionAssertions;
import dev.sqlitemetrics.testkit.ContentionReport;
import dev.sqlitemetrics.testkit.ContentionRunner;
import dev.sqlitemetrics.testkit.Scenario;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Records, reads back, meters and runs a contention check, as an application would. Exits non-zero on failure. */
public final class ConsumerCheck {
    private ConsumerCheck() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(args[0]));
        SqliteConfig config = SqliteConfig.defaults(work.resolve("consumer-" + ProcessHandle.current().pid() + ".db"));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RecorderMeters meters = new RecorderMeters();
        try (MetricsRecorder recorder = MetricsRecorder.builder(config).listener(meters).open()) {
            meters.bindTo(registry);
            recorder.record("consumer check");
            recorder.recordCompletion(Completion.builder("consumer", Outcome.SUCCEEDED).duration(Duration.ofMillis(5)).build());
            double committed = registry.get("sqlitemetrics.records.committed").functionCounter().count();
            if (committed != 2) {
                throw new AssertionError("the committed counter says " + committed + ", expected 2");
            }
        }
        try (MetricsReader reader = MetricsReader.open(config)) {
            long rows = reader.latest(dev.sqlitemetrics.core.CompletionFilter.ALL, 10).size();
            if (rows != 2) {
                throw new AssertionError("read back " + rows + " rows, expected 2");
            }
        }
        // Threads, then real child JVMs, which start from this JVM's module path.
        Scenario burst = Scenario.builder().writerCounts(20).recordsPerWriter(2).build();
        ContentionReport report = ContentionRunner.run(burst, SqliteConfig.defaults(work.resolve("burst.db")), work);
        ContentionAssertions.assertThat(report).lostNothing().failedNothing();
        Scenario processes = burst.toBuilder().processes(2).build();
        ContentionReport inJvms = ContentionRunner.run(processes, SqliteConfig.defaults(work.resolve("jvms.db")), work);
        ContentionAssertions.assertThat(inJvms).lostNothing().failedNothing();
        System.out.println("consumer check passed: recorded, read back, metered, and bursts of 20 writers in threads"
                + " and in 2 child JVMs lost nothing");
    }
}
