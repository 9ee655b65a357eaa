package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.testing.Db;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** What users build on: failures they can construct and catch, open options, bounded close, config from properties. */
class PublicSurfaceTest {
    @TempDir
    Path dir;

    @Test
    void aFakeCanThrowEveryFailureAndOneCatchTakesThemAll() {
        MetricsException.Failure context = MetricsException.Failure.of("test.db", WriteOutcome.NOT_WRITTEN);
        List<MetricsException> failures = List.of(new DatabaseBusyException("busy", null, context),
                new StorageFullException("full", null, context), new StorageIoException("io", null, context),
                new ReadOnlyDatabaseException("read-only", null, context), new CorruptDatabaseException("corrupt", null, context),
                new SchemaMismatchException("schema", null, context), new InvalidRecordException("invalid", null, context),
                new RecorderClosedException("closed", context), new MetricsException("other", null, context));
        for (MetricsException failure : failures) {
            Throwable caught = catchThrowable(() -> {
                throw failure;
            });
            assertThat(caught).isInstanceOf(MetricsException.class);
            assertThat(((MetricsException) caught).database()).isEqualTo("test.db");
            assertThat(((MetricsException) caught).isDefinitelyNotWritten()).isTrue();
        }
        assertThatThrownBy(() -> MetricsException.Failure.of(null, WriteOutcome.NOT_WRITTEN)).isInstanceOf(NullPointerException.class);
    }

    @Test
    @Timeout(60)
    void aBlockingFailureCarriesTheDriversCauseAndTheCallersStack() throws Exception {
        SqliteConfig config = SqliteConfig.builder(dir.resolve("locked.db")).busyTimeout(Duration.ofMillis(50))
                .retry(Retry.defaults().withDeadline(Duration.ofMillis(300))).build();
        try (MetricsRecorder recorder = MetricsRecorder.open(config);
             Connection holder = Db.connect(config.path()); Statement lock = holder.createStatement()) {
            lock.execute("BEGIN IMMEDIATE");
            Throwable busy = catchThrowable(() -> recorder.record("waits for a lock that never comes"));
            lock.execute("ROLLBACK");
            assertThat(busy).isInstanceOf(DatabaseBusyException.class);
            assertThat(busy.getCause()).isInstanceOf(SQLException.class);
            assertThat(Arrays.stream(busy.getStackTrace()).map(StackTraceElement::getMethodName))
                    .contains("aBlockingFailureCarriesTheDriversCauseAndTheCallersStack");
            assertThat(busy.getSuppressed()).singleElement().satisfies(writer -> assertThat(
                    Arrays.stream(writer.getStackTrace()).map(StackTraceElement::getClassName))
                    .anyMatch(name -> name.contains("GroupCommitWriter")));
            // null names one method: the plain one.
            assertThatThrownBy(() -> recorder.record(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> recorder.recordCompletion(null)).isInstanceOf(NullPointerException.class);
        }
        MetricsRecorder closed = MetricsRecorder.open(config);
        closed.close();
        Throwable refused = catchThrowable(() -> closed.record("after close"));
        assertThat(refused).isInstanceOf(RecorderClosedException.class).isInstanceOf(MetricsException.class);
        assertThat(((MetricsException) refused).outcome()).isEqualTo(WriteOutcome.NOT_WRITTEN);
    }

    @Test
    @Timeout(60)
    void callbacksRunOnTheExecutorGivenAtOpenWhichCloseLeavesRunning() throws Exception {
        ExecutorService mine = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "my-callbacks"));
        try {
            SqliteConfig config = SqliteConfig.defaults(dir.resolve("callbacks.db"));
            String[] ranOn = new String[1];
            try (MetricsRecorder recorder = MetricsRecorder.builder(config).callbackExecutor(mine)
                    .listener(RecorderListener.NONE).open()) {
                CompletableFuture<UUID> done = recorder.recordAsync("async").whenComplete((id, failure) ->
                        ranOn[0] = Thread.currentThread().getName());
                done.get(30, TimeUnit.SECONDS);
            }
            assertThat(ranOn[0]).isEqualTo("my-callbacks");
            assertThat(mine.isShutdown()).isFalse();
            assertThatThrownBy(() -> MetricsRecorder.builder(config).dataSource(new org.sqlite.SQLiteDataSource()).open())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dataSource is for a PostgreSQL config");
        } finally {
            mine.shutdownNow();
        }
    }

    @Test
    @Timeout(60)
    void aBoundedCloseFailsWhatIsStillQueuedAsNotWritten() throws Exception {
        SqliteConfig config = SqliteConfig.builder(dir.resolve("bounded.db")).busyTimeout(Duration.ofMillis(50))
                .maxBatchSize(10).retry(Retry.defaults().withDeadline(Duration.ofSeconds(2))).build();
        MetricsRecorder recorder = MetricsRecorder.open(config);
        List<CompletableFuture<UUID>> futures = new ArrayList<>();
        try (Connection holder = Db.connect(config.path()); Statement lock = holder.createStatement()) {
            lock.execute("BEGIN IMMEDIATE");
            for (int i = 0; i < 100; i++) {
                futures.add(recorder.recordAsync("queued " + i));
            }
            long start = System.nanoTime();
            boolean everything = recorder.close(Duration.ofMillis(200));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            lock.execute("ROLLBACK");
            assertThat(everything).isFalse();
            // The batch in flight ends at its own deadline; the rest were taken back at the timeout.
            assertThat(took).isLessThan(Duration.ofSeconds(10));
        }
        int closedCount = 0;
        for (CompletableFuture<UUID> future : futures) {
            Throwable failure = catchThrowable(() -> future.get(30, TimeUnit.SECONDS));
            assertThat(failure).as("no record committed while the lock was held").isNotNull();
            MetricsException cause = (MetricsException) failure.getCause();
            assertThat(cause.outcome()).isEqualTo(WriteOutcome.NOT_WRITTEN);
            closedCount += cause instanceof RecorderClosedException ? 1 : 0;
        }
        assertThat(closedCount).isGreaterThanOrEqualTo(80);
        assertThat(Db.idCounts(config.path())).isEmpty();
    }

    @Test
    void configFromPropertiesAndEnvironmentWithTheFlagsNames() {
        StoreConfig file = ConfigProperties.fromProperties(Map.of("sqlite-metrics.db", dir.resolve("p.db").toString(),
                "sqlite-metrics.busy-timeout", "2s", "sqlite-metrics.synchronous", "normal",
                "sqlite-metrics.retry-deadline", "1.5m", "sqlite-metrics.max-batch-size", "500", "other.key", "ignored"),
                "sqlite-metrics.");
        assertThat(file).isInstanceOf(SqliteConfig.class);
        SqliteConfig sqlite = (SqliteConfig) file;
        assertThat(sqlite.busyTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(sqlite.synchronous()).isEqualTo(Synchronous.NORMAL);
        assertThat(sqlite.retry().deadline()).isEqualTo(Duration.ofSeconds(90));
        assertThat(sqlite.maxBatchSize()).isEqualTo(500);
        assertThat(ConfigProperties.fromProperties(ConfigProperties.toProperties(sqlite))).isEqualTo(sqlite);

        StoreConfig server = ConfigProperties.fromEnvironment(Map.of("SQLITE_METRICS_JDBC_URL", "jdbc:postgresql://db/m",
                "SQLITE_METRICS_USER", "metrics", "SQLITE_METRICS_PASSWORD", "s3cret", "SQLITE_METRICS_POOL_SIZE", "4",
                "PATH", "/usr/bin"));
        assertThat(server).isInstanceOf(PostgresConfig.class);
        assertThat(((PostgresConfig) server).user()).isEqualTo("metrics");
        assertThat(((PostgresConfig) server).password().reveal()).isEqualTo("s3cret");
        assertThat(server.poolSize()).isEqualTo(4);

        assertThatThrownBy(() -> ConfigProperties.fromProperties(Map.of("db", "x.db", "busy-timout", "1s")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("unknown setting busy-timout; did you mean busy-timeout?");
        assertThatThrownBy(() -> ConfigProperties.fromEnvironment(Map.of("SQLITE_METRICS_DB", "x.db", "SQLITE_METRICS_RETRY_DEADLINE", "soon")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("SQLITE_METRICS_RETRY_DEADLINE: 'soon' is not a duration");
        assertThatThrownBy(() -> ConfigProperties.fromProperties(Map.of("jdbc-url", "jdbc:postgresql://db/m", "synchronous", "FULL")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("synchronous is a setting of a SQLite file");
        assertThatThrownBy(() -> ConfigProperties.fromProperties(Map.of("busy-timeout", "1s")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly one of db");
        assertThatThrownBy(() -> ConfigProperties.fromProperties(Map.of("db", "x.db", "pool-size", "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("poolSize");
        Properties properties = new Properties();
        properties.setProperty("app.metrics.db", "y.db");
        assertThat(ConfigProperties.fromProperties(properties, "app.metrics.")).isEqualTo(SqliteConfig.defaults(Path.of("y.db")));
        assertThat(Durations.parse("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.parse(Durations.format(Duration.ofHours(36)))).isEqualTo(Duration.ofHours(36));
    }
}
