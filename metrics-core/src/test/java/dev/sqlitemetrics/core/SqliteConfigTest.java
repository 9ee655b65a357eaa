package dev.sqlitemetrics.core;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteConfigTest {
    private static final Path DB = Path.of("/tmp/metrics.db");

    @Test
    void defaultsAreWalFullAndTheNamedConstants() {
        SqliteConfig config = SqliteConfig.defaults(DB);
        assertThat(config.path()).isEqualTo(DB);
        assertThat(config.busyTimeout()).isEqualTo(Duration.ofMillis(SqliteConfig.DEFAULT_BUSY_TIMEOUT_MS));
        assertThat(config.journalMode()).isEqualTo(JournalMode.WAL);
        assertThat(config.synchronous()).isEqualTo(Synchronous.FULL);
        assertThat(config.retry()).isEqualTo(Retry.defaults());
        assertThat(config.poolSize()).isEqualTo(SqliteConfig.DEFAULT_POOL_SIZE);
        assertThat(config.tableName()).isEqualTo("messages");
        assertThat(config.maxMessageBytes()).isEqualTo(SqliteConfig.DEFAULT_MAX_MESSAGE_BYTES);
        assertThat(config.maxBatchSize()).isEqualTo(SqliteConfig.DEFAULT_MAX_BATCH_SIZE);
        assertThat(config.queueCapacity()).isEqualTo(SqliteConfig.DEFAULT_QUEUE_CAPACITY);
    }

    @Test
    void everySettingRoundTripsThroughTheBuilder() {
        Retry retry = new Retry(7, Duration.ofMillis(3), Duration.ofMillis(90), 0.2, Duration.ofSeconds(9));
        SqliteConfig config = SqliteConfig.builder(DB)
                .busyTimeout(Duration.ofMillis(1234))
                .journalMode(JournalMode.TRUNCATE)
                .synchronous(Synchronous.NORMAL)
                .retry(retry)
                .poolSize(5)
                .tableName("job_metrics")
                .maxMessageBytes(999)
                .maxBatchSize(64)
                .queueCapacity(128)
                .sharedCommits(false)
                .build();
        assertThat(config).isEqualTo(new SqliteConfig(DB, Duration.ofMillis(1234), JournalMode.TRUNCATE,
                Synchronous.NORMAL, retry, 5, "job_metrics", 999, 64, 128, false));
        assertThat(config.toBuilder().build()).isEqualTo(config).hasSameHashCodeAs(config);
        assertThat(config.toString()).contains("busyTimeout=1234ms", "deadline=9000ms", "tableName=job_metrics");
    }

    @Test
    void storesThePathAbsolute() {
        assertThat(SqliteConfig.defaults(Path.of("rel.db")).path()).isAbsolute();
    }

    @Test
    void rejectsEveryInvalidValueWithAnExactMessage() {
        assertRejected(b -> b.busyTimeout(Duration.ofMillis(-1)), "busyTimeout must be between 0ms and 2147483647ms, was -1ms");
        assertRejected(b -> b.poolSize(1), "poolSize must be between 2 and 64 (the writer keeps one connection), was 1");
        assertRejected(b -> b.poolSize(65), "poolSize must be between 2 and 64 (the writer keeps one connection), was 65");
        assertRejected(b -> b.tableName("messages; DROP TABLE x"), "tableName must be a letter or underscore followed by"
                + " up to 62 letters, digits or underscores, not starting with sqlite_, was 'messages; DROP TABLE x'");
        assertRejected(b -> b.tableName("sqlite_master"), "tableName must be a letter or underscore followed by"
                + " up to 62 letters, digits or underscores, not starting with sqlite_, was 'sqlite_master'");
        assertRejected(b -> b.tableName("9lives"), "tableName must be a letter or underscore followed by"
                + " up to 62 letters, digits or underscores, not starting with sqlite_, was '9lives'");
        assertRejected(b -> b.maxMessageBytes(0), "maxMessageBytes must be between 1 and 104857600, was 0");
        assertRejected(b -> b.maxBatchSize(0), "maxBatchSize must be between 1 and 100000, was 0");
        assertRejected(b -> b.maxBatchSize(10).queueCapacity(5), "queueCapacity must be at least maxBatchSize (10), was 5");
        // The queue's slots are allocated at open: a huge capacity was an OutOfMemoryError there.
        assertRejected(b -> b.queueCapacity(Integer.MAX_VALUE), "queueCapacity must be at most 1000000, was 2147483647");
        assertRejected(b -> b.queueCapacity(50_000_000), "queueCapacity must be at most 1000000, was 50000000");
        assertThat(SqliteConfig.builder(DB).queueCapacity(SqliteConfig.MAX_QUEUE_CAPACITY).build().queueCapacity())
                .isEqualTo(1_000_000);
    }

    @Test
    void rejectsNullSettingsNamingThem() {
        assertThatThrownBy(() -> SqliteConfig.builder(null).build()).isInstanceOf(NullPointerException.class).hasMessage("path");
        assertThatThrownBy(() -> SqliteConfig.builder(DB).retry(null).build()).hasMessage("retry");
        assertThatThrownBy(() -> SqliteConfig.builder(DB).journalMode(null).build()).hasMessage("journalMode");
    }

    @Test
    void rejectsInvalidRetrySettingsWithExactMessages() {
        Duration ms5 = Duration.ofMillis(5);
        Duration ms50 = Duration.ofMillis(50);
        Duration s1 = Duration.ofSeconds(1);
        assertThatThrownBy(() -> new Retry(0, ms5, ms50, 0.5, s1)).hasMessage("retry.maxAttempts must be at least 1, was 0");
        assertThatThrownBy(() -> new Retry(3, Duration.ZERO, ms50, 0.5, s1)).hasMessage("retry.initialBackoff must be positive, was 0ms");
        assertThatThrownBy(() -> new Retry(3, ms50, ms5, 0.5, s1))
                .hasMessage("retry.maxBackoff must be greater than retry.initialBackoff (50ms), was 5ms");
        assertThatThrownBy(() -> new Retry(3, ms5, ms50, 1.0, s1)).hasMessage("retry.jitter must be in [0, 1), was 1.0");
        assertThatThrownBy(() -> new Retry(3, ms5, ms50, Double.NaN, s1)).hasMessage("retry.jitter must be in [0, 1), was NaN");
        assertThatThrownBy(() -> new Retry(3, ms5, ms50, 0.5, Duration.ZERO))
                .hasMessage("retry.deadline must be between 1ms and 86400000ms, was 0ms");
        assertThatThrownBy(() -> new Retry(3, ms5, ms50, 0.5, Duration.ofDays(300 * 365L)))
                .hasMessage("retry.deadline must be between 1ms and 86400000ms, was 9460800000000ms");
        // Failsafe refuses a total duration that does not exceed the first backoff; so do we, at build time.
        assertThatThrownBy(() -> Retry.defaults().withDeadline(ms5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retry.deadline must be greater than retry.initialBackoff (5ms), was 5ms");
        assertThatThrownBy(() -> new Retry(3, ms50, s1, 0.5, Duration.ofMillis(20)))
                .hasMessage("retry.deadline must be greater than retry.initialBackoff (50ms), was 20ms");
    }

    @Test
    void theSmallestAcceptedDeadlineOpensAndRecords(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        SqliteConfig config = SqliteConfig.builder(dir.resolve("m.db"))
                .retry(Retry.defaults().withDeadline(Duration.ofMillis(6))).build();
        try (MetricsRecorder recorder = MetricsRecorder.open(config)) {
            // One fsync can outlast 6 ms on a loaded machine: a NOT_WRITTEN answer is truthful then, so the
            // test asks again (as a caller would) and demands that a record lands and that refusals wrote nothing.
            int refused = 0;
            while (true) {
                try {
                    recorder.record("a deadline just past the first backoff still opens and records");
                    break;
                } catch (MetricsException e) {
                    assertThat(e.outcome()).as("a refusal within 6 ms must be NOT_WRITTEN").isEqualTo(WriteOutcome.NOT_WRITTEN);
                    assertThat(++refused).as("refusals in a row").isLessThan(50);
                }
            }
            assertThat(recorder.count()).isEqualTo(1);
        }
    }

    @Test
    void retryCopiesChangeOneSetting() {
        Retry retry = Retry.exponential(Duration.ofMillis(2), Duration.ofMillis(20));
        assertThat(retry.withMaxAttempts(3).maxAttempts()).isEqualTo(3);
        assertThat(retry.withJitter(0.0).jitter()).isZero();
        assertThat(retry.withDeadline(Duration.ofSeconds(3)).deadline()).isEqualTo(Duration.ofSeconds(3));
        assertThat(Retry.none().maxAttempts()).isEqualTo(1);
    }

    private static void assertRejected(java.util.function.UnaryOperator<SqliteConfig.Builder> change, String message) {
        assertThatThrownBy(() -> change.apply(SqliteConfig.builder(DB)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
