package dev.sqlitemetrics.testkit.internal.cli;

import dev.sqlitemetrics.testkit.internal.run.ConfigArgs;
import dev.sqlitemetrics.core.JournalMode;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.core.Retry;
import dev.sqlitemetrics.core.Synchronous;
import dev.sqlitemetrics.testkit.LockHog;
import dev.sqlitemetrics.testkit.Scenario;
import dev.sqlitemetrics.testkit.Thresholds;
import dev.sqlitemetrics.testkit.WriterKind;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every flag parses to the same config and scenario the builders make. */
class CliParityTest {
    private static final Path DIR = Path.of("/tmp/parity");

    private static ContentionCommand parse(String... args) {
        CommandLine commandLine = ContentionCommand.commandLine();
        commandLine.parseArgs(args);
        return commandLine.getCommand();
    }

    @Test
    void noFlagsMeanTheLibraryDefaults() {
        assertThat(parse().recorderConfig(DIR)).isEqualTo(SqliteConfig.defaults(DIR.resolve("contention.db")));
        assertThat(parse().scenario(WriterKind.RECORDER)).isEqualTo(Scenario.builder().build());
    }

    @Test
    void everyConfigFlagParsesToTheBuilderValue() {
        SqliteConfig expected = SqliteConfig.builder(DIR.resolve("contention.db"))
                .busyTimeout(Duration.ofMillis(1500))
                .journalMode(JournalMode.TRUNCATE)
                .synchronous(Synchronous.NORMAL)
                .retry(new Retry(9, Duration.ofMillis(2), Duration.ofMillis(80), 0.25, Duration.ofSeconds(12)))
                .poolSize(3)
                .tableName("job_metrics")
                .maxMessageBytes(2048)
                .maxBatchSize(500)
                .queueCapacity(5000)
                .build();
        ContentionCommand command = parse("--busy-timeout", "1.5s", "--journal-mode", "truncate", "--synchronous", "NORMAL",
                "--retry-max-attempts", "9", "--retry-initial-backoff", "2ms", "--retry-max-backoff", "PT0.08S",
                "--retry-jitter", "0.25", "--retry-deadline", "12s", "--pool-size", "3", "--table-name", "job_metrics",
                "--max-message-bytes", "2048", "--max-batch-size", "500", "--queue-capacity", "5000");
        assertThat(command.recorderConfig(DIR)).isEqualTo(expected);
    }

    @Test
    void configFlagsRoundTripThroughToArgs() {
        SqliteConfig config = SqliteConfig.builder(DIR.resolve("contention.db")).busyTimeout(Duration.ofMillis(77))
                .journalMode(JournalMode.PERSIST).synchronous(Synchronous.EXTRA)
                .retry(Retry.none().withJitter(0.1).withDeadline(Duration.ofMillis(4321))).poolSize(7).tableName("t")
                .maxMessageBytes(99).maxBatchSize(3).queueCapacity(4).build();
        ContentionCommand command = parse(ConfigArgs.of(config).toArray(String[]::new));
        assertThat(command.recorderConfig(DIR)).isEqualTo(config);
    }

    @Test
    void everyScenarioFlagParsesToTheBuilderValue() {
        ContentionCommand command = parse("--writers", "5,50,250", "--records-per-writer", "4", "--processes", "2",
                "--prefill-rows", "10000", "--lock-hog-at", "100ms", "--lock-hog-hold", "2s", "--max-failures", "3",
                "--max-lost", "1", "--max-p99", "250ms", "--naive-busy-timeout", "0ms", "--warm-up-records", "20",
                "--max-unknown", "2", "--max-p999", "400ms", "--max-latency", "1s", "--level-timeout", "90s");
        Scenario expected = Scenario.builder().writerCounts(5, 50, 250).recordsPerWriter(4).processes(2)
                .prefillRows(10_000).lockHog(new LockHog(Duration.ofMillis(100), Duration.ofSeconds(2)))
                .thresholds(new Thresholds(3, 1, Duration.ofMillis(250)).withMaxUnknown(2)
                        .withMaxP999(Duration.ofMillis(400)).withMaxLatency(Duration.ofSeconds(1)))
                .naiveBusyTimeout(Duration.ZERO).warmUpRecords(20).levelTimeout(Duration.ofSeconds(90)).build();
        assertThat(command.scenario(WriterKind.RECORDER)).isEqualTo(expected);
        assertThat(command.scenario(WriterKind.NAIVE)).isEqualTo(expected.toBuilder().writer(WriterKind.NAIVE).build());
    }

    @Test
    void processesTimesThreadsIsOneLevel() {
        assertThat(parse("--processes", "16", "--threads-per-process", "64").scenario(WriterKind.RECORDER).writerCounts())
                .containsExactly(1024);
    }

    @Test
    void presetsReplayTheClassicCases() {
        Scenario scenario = parse("--preset", "sequential_then_parallel").scenario(WriterKind.NAIVE);
        assertThat(scenario.writerCounts()).containsExactly(100);
        assertThat(scenario.prefillRows()).isEqualTo(10_000);
    }

    @Test
    void rejectsBadValuesWithTheConfigMessage() {
        ContentionCommand command = parse("--pool-size", "0");
        assertThatThrownBy(() -> command.recorderConfig(DIR)).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("--pool-size must be between 2 and 64 (the writer keeps one connection), was 0");
        assertThatThrownBy(() -> parse("--busy-timeout", "soon").recorderConfig(DIR))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageStartingWith("--busy-timeout: ").hasMessageContaining("'soon' is not a duration");
        assertThatThrownBy(() -> parse("--synchronous", "FUL").recorderConfig(DIR))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("--synchronous: must be one of OFF, NORMAL, FULL, EXTRA, was FUL");
        assertThatThrownBy(() -> parse("--jdbc-url", "jdbc:postgresql://db/m", "--busy-timeout", "1s").recorderConfig(DIR))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageStartingWith("--busy-timeout is a setting of a SQLite file");
    }

    @Test
    void everyConfigSettingHasAFlag() {
        List<String> flags = new ArrayList<>();
        ContentionCommand.commandLine().getCommandSpec().options().forEach(option -> flags.add(option.longestName()));
        assertThat(flags).contains("--busy-timeout", "--journal-mode", "--synchronous", "--retry-max-attempts",
                "--retry-initial-backoff", "--retry-max-backoff", "--retry-jitter", "--retry-deadline", "--pool-size",
                "--table-name", "--max-message-bytes", "--max-batch-size", "--queue-capacity", "--shared-commits", "--writers",
                "--processes", "--threads-per-process", "--records-per-writer", "--baseline", "--find-breaking-point",
                "--max-writers", "--format", "--out", "--help", "--version");
        // Every setting but the file (one per level) is a flag, made from the table of settings.
        for (dev.sqlitemetrics.core.Setting setting : dev.sqlitemetrics.core.Setting.values()) {
            if (setting != dev.sqlitemetrics.core.Setting.DB) {
                assertThat(flags).contains("--" + setting.key());
            }
        }
        assertThat(SqliteConfig.class.getRecordComponents()).hasSize(11);
        assertThat(Retry.class.getRecordComponents()).hasSize(5);
    }
}
