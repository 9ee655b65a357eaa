package dev.sqlitemetrics.testkit;

import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.core.Synchronous;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

/** The worked example of docs/testkit.md (In your own CI): a contention check in a user's own JUnit 5 test. */
class ReadmeExampleTest {
    @TempDir
    Path tempDir;

    @Test
    @Timeout(120)
    void ourRecorderSettingsSurviveABurstOfFiveHundredWriters() {
        SqliteConfig config = SqliteConfig.builder(tempDir.resolve("metrics.db"))
                .synchronous(Synchronous.NORMAL)
                .build();
        Scenario burst = Scenario.builder().writerCounts(50, 500).recordsPerWriter(2).build();

        ContentionReport report = ContentionRunner.run(burst, config, tempDir);

        ContentionAssertions.assertThat(report).lostNothing().failedNothing().p99AtMost(Duration.ofSeconds(5));
    }
}
