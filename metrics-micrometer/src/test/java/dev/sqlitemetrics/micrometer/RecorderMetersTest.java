package dev.sqlitemetrics.micrometer;

import dev.sqlitemetrics.core.DatabaseBusyException;
import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.core.Retry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The meters as a Prometheus scrape shows them, against what was recorded on a real file. */
class RecorderMetersTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void aScrapeCountsWhatWasRecordedAndTheMetersLeaveWithTheRecorder() throws Exception {
        SqliteConfig config = SqliteConfig.builder(dir.resolve("metered.db")).busyTimeout(Duration.ofMillis(20))
                .retry(Retry.defaults().withDeadline(Duration.ofMillis(300))).build();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RecorderMeters meters = new RecorderMeters();
        assertThatThrownBy(() -> meters.bindTo(registry)).isInstanceOf(IllegalStateException.class);
        try (MetricsRecorder recorder = MetricsRecorder.builder(config).listener(meters).open()) {
            meters.bindTo(registry);
            for (int i = 0; i < 50; i++) {
                recorder.record("metered " + i);
            }
            try (Connection holder = DriverManager.getConnection("jdbc:sqlite:" + config.path());
                 Statement lock = holder.createStatement()) {
                lock.execute("BEGIN IMMEDIATE");
                assertThatThrownBy(() -> recorder.record("waits past the deadline")).isInstanceOf(DatabaseBusyException.class);
                lock.execute("ROLLBACK");
            }
            String db = Pattern.quote(config.path().toString());
            String scrape = registry.scrape();
            assertThat(value(scrape, "sqlitemetrics_records_committed_total\\{db=\"" + db + "\"}")).isEqualTo(50);
            assertThat(value(scrape, "sqlitemetrics_records_failed_total\\{db=\"" + db + "\",outcome=\"NOT_WRITTEN\"}")).isEqualTo(1);
            assertThat(value(scrape, "sqlitemetrics_records_failed_total\\{db=\"" + db + "\",outcome=\"UNKNOWN\"}")).isZero();
            assertThat(value(scrape, "sqlitemetrics_batch_size_sum\\{db=\"" + db + "\"}")).isEqualTo(50);
            assertThat(value(scrape, "sqlitemetrics_batch_size_count\\{db=\"" + db + "\"}")).isEqualTo(50);
            assertThat(value(scrape, "sqlitemetrics_commit_duration_seconds_count\\{db=\"" + db + "\"}")).isEqualTo(50);
            assertThat(value(scrape, "sqlitemetrics_commit_duration_seconds_sum\\{db=\"" + db + "\"}")).isPositive();
            assertThat(value(scrape, "sqlitemetrics_queue_depth\\{db=\"" + db + "\"}")).isZero();
            assertThat(value(scrape, "sqlitemetrics_retries_total\\{db=\"" + db + "\"}")).isPositive()
                    .isEqualTo(recorder.stats().retries());
            assertThat(recorder.stats().committed()).isEqualTo(50);
            assertThat(recorder.stats().batches()).isEqualTo(50);
        }
        assertThat(registry.scrape()).doesNotContain("sqlitemetrics");
    }

    private static double value(String scrape, String series) {
        Matcher matcher = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(scrape);
        assertThat(matcher.find()).as("%s in:%n%s", series, scrape).isTrue();
        return Double.parseDouble(matcher.group(1));
    }
}
