package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.testing.Concurrently;
import dev.sqlitemetrics.core.testing.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The recorder on a real PostgreSQL server (a throwaway cluster started for this class): the same
 * promise as on SQLite, from many threads at once, with the table created once however many open it.
 */
class PostgresRecorderIT {
    @RegisterExtension
    static final PostgresServer.PerClass CLUSTER = new PostgresServer.PerClass();
    private static final AtomicInteger TABLES = new AtomicInteger();

    private static PostgresConfig.Builder config(String table) {
        return PostgresConfig.builder(CLUSTER.server().jdbcUrl()).user("postgres").tableName(table);
    }

    private static String newTable() {
        return "metrics_" + TABLES.incrementAndGet();
    }

    @Test
    @Timeout(120)
    void aThousandThreadsAtOneBarrierEachCommitOnceAndArePresentOnce() throws Exception {
        String table = newTable();
        try (MetricsRecorder recorder = MetricsRecorder.open(config(table).build())) {
            List<UUID> ids = Concurrently.run(1_000, 90, index -> recorder.record("thread " + index));
            Map<String, Integer> present = idCounts(table);
            assertThat(present).hasSize(1_000);
            ids.forEach(id -> assertThat(present).containsEntry(id.toString(), 1));
            assertThat(recorder.count()).isEqualTo(1_000);
        }
    }

    @Test
    @Timeout(60)
    void aStructuredCompletionKeepsEveryFieldAndNamesItsHost() throws Exception {
        String table = newTable();
        UUID id;
        try (MetricsRecorder recorder = MetricsRecorder.open(config(table).build())) {
            id = recorder.recordCompletion(Completion.builder("nightly-export", Outcome.SUCCEEDED)
                    .duration(Duration.ofMillis(1532)).attribute("rows", "1200").attribute("quote", "\"'; --")
                    .message("done \u20ac \uD83D\uDE00").build());
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT msg, task, outcome, duration_ms, attributes->>'rows',"
                     + " attributes->>'quote', pid, host, ts > now() - interval '1 minute' FROM " + table
                     + " WHERE id = '" + id + "'")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualTo("done \u20ac \uD83D\uDE00");
            assertThat(row.getString(2)).isEqualTo("nightly-export");
            assertThat(row.getString(3)).isEqualTo("SUCCEEDED");
            assertThat(row.getDouble(4)).isEqualTo(1532.0);
            assertThat(row.getString(5)).isEqualTo("1200");
            assertThat(row.getString(6)).isEqualTo("\"'; --");
            assertThat(row.getLong(7)).isEqualTo(ProcessHandle.current().pid());
            assertThat(row.getString(8)).isNotBlank();
            assertThat(row.getBoolean(9)).isTrue();
        }
    }

    @Test
    @Timeout(120)
    void eightRecordersOpeningAMissingTableAtOnceCreateItOnce() throws Exception {
        String table = newTable();
        List<UUID> ids = Concurrently.run(8, 90, index -> {
            try (MetricsRecorder recorder = MetricsRecorder.open(config(table).build())) {
                return recorder.record("opener " + index);
            }
        });
        assertThat(idCounts(table)).hasSize(8);
        assertThat(ids).doesNotHaveDuplicates();
    }

    @Test
    @Timeout(60)
    void aTableOfAnotherShapeIsRefusedListingTheDifferences() throws Exception {
        String table = newTable();
        assertThat(CLUSTER.server().psql("metrics", "CREATE TABLE " + table + " (ts text, msg text, id text)").exit()).isZero();
        Throwable refused = catchThrowable(() -> MetricsRecorder.open(config(table).build()));
        assertThat(refused).isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("column ts is text, expected timestamp with time zone")
                .hasMessageContaining("column id is text, expected uuid")
                .hasMessageContaining("column host is missing")
                .hasMessageContaining("no unique index on id");
        assertThat(CLUSTER.server().psql("metrics", "SELECT count(*) FROM information_schema.columns WHERE table_name = '"
                + table + "'").output()).isEqualTo("3");
    }

    @Test
    @Timeout(120)
    void foreignWritersThroughPsqlAndRecordersShareTheTable() throws Exception {
        String table = newTable();
        try (MetricsRecorder recorder = MetricsRecorder.open(config(table).build())) {
            List<Object> results = Concurrently.run(9, 90, index -> {
                if (index == 8) {
                    for (int i = 0; i < 20; i++) {
                        assertThat(CLUSTER.server().psql("metrics", "INSERT INTO " + table + " (msg) VALUES ('psql " + i + "')")
                                .exit()).isZero();
                    }
                    return List.of();
                }
                List<UUID> ids = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    ids.add(recorder.record("recorder " + index + " " + i));
                }
                return ids;
            });
            Map<String, Integer> present = idCounts(table);
            results.stream().filter(List.class::isInstance).flatMap(list -> ((List<?>) list).stream())
                    .forEach(id -> assertThat(present).containsEntry(id.toString(), 1));
            assertThat(present).hasSize(800);
            assertThat(recorder.count()).isEqualTo(820);
        }
    }

    @Test
    @Timeout(60)
    void aDataSourceOfTheApplicationsWorksAsWell() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(CLUSTER.server().jdbcUrl());
        dataSource.setUser("postgres");
        try (MetricsRecorder recorder = MetricsRecorder.open(PostgresConfig.builder().tableName(newTable()).build(),
                dataSource)) {
            recorder.record("through the application's data source");
            assertThat(recorder.count()).isEqualTo(1);
            assertThat(recorder.config().database()).isEqualTo("(a DataSource)");
        }
    }

    @Test
    @Timeout(60)
    void aNulCharacterIsStoredAsTheReplacementCharacterAsTheForwarderDoes() throws Exception {
        String table = newTable();
        try (MetricsRecorder recorder = MetricsRecorder.open(config(table).build())) {
            UUID plain = recorder.record("a NUL \u0000 PostgreSQL text cannot hold");
            UUID structured = recorder.recordCompletion(Completion.builder("t\u0000sk", Outcome.SUCCEEDED)
                    .attribute("k", "a\u0000b").build());
            try (Connection connection = DriverManager.getConnection(CLUSTER.server().jdbcUrl(), "postgres", "");
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT msg, task, attributes->>'k' FROM " + table
                         + " WHERE id IN ('" + plain + "', '" + structured + "') ORDER BY task NULLS FIRST")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("a NUL \uFFFD PostgreSQL text cannot hold");
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(2)).isEqualTo("t\uFFFDsk");
                assertThat(rows.getString(3)).isEqualTo("a\uFFFDb");
            }
        }
    }

    @Test
    @Timeout(60)
    void thePasswordAppearsNowhere() throws Exception {
        String secret = "pw-" + UUID.randomUUID();
        String table = newTable();
        // The throwaway cluster trusts every local login, so any password connects.
        PostgresConfig config = PostgresConfig.builder(CLUSTER.server().jdbcUrl() + "?password=" + secret).user("postgres")
                .password(secret).tableName(table).build();
        assertThat(config.toString()).doesNotContain(secret).contains("password=******");
        assertThat(config.database()).doesNotContain(secret);
        try (MetricsRecorder recorder = MetricsRecorder.open(config)) {
            recorder.record("one");
        }
        String other = newTable();
        try (Connection connection = DriverManager.getConnection(CLUSTER.server().jdbcUrl(), "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + other + " (ts text, msg int)");
        }
        Throwable refused = catchThrowable(() -> MetricsRecorder.open(config.toBuilder().tableName(other).build()));
        assertThat(refused).isInstanceOf(SchemaMismatchException.class);
        assertThat(refused.getMessage()).doesNotContain(secret).contains("password=******");
        Throwable closed = catchThrowable(() -> MetricsRecorder.open(config.toBuilder().tableName("pg_nope").build()));
        assertThat(closed).isInstanceOf(IllegalArgumentException.class);
        assertThat(PostgresConfig.redact("jdbc:postgresql://me:" + secret + "@h:5432/db?password=" + secret + "&ssl=true"))
                .isEqualTo("jdbc:postgresql://******@h:5432/db?password=******&ssl=true");
    }

    @Test
    @Timeout(180)
    void aServerDownLongerThanTheDeadlineGivesTypedFailuresAndTheRecorderWorksOnceItIsBack() throws Exception {
        String table = newTable();
        PostgresConfig config = config(table).retry(Retry.defaults().withDeadline(Duration.ofSeconds(2))).build();
        try (MetricsRecorder recorder = MetricsRecorder.open(config)) {
            UUID before = recorder.record("before the outage");
            CLUSTER.server().stopImmediately();
            long start = System.nanoTime();
            Throwable down = catchThrowable(() -> recorder.record("during the outage"));
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            try {
                assertThat(down).isInstanceOf(StorageIoException.class);
                MetricsException failure = (MetricsException) down;
                assertThat(failure.outcome()).isEqualTo(WriteOutcome.NOT_WRITTEN);
                assertThat(failure.sqlState()).startsWith("08");
                assertThat(waited).isLessThan(Duration.ofSeconds(2 + 10 + 1));
            } finally {
                CLUSTER.server().restart();
            }
            UUID after = recorder.record("after the outage");
            Map<String, Integer> present = idCounts(table);
            assertThat(present).containsEntry(before.toString(), 1).containsEntry(after.toString(), 1)
                    .doesNotContainKey(((MetricsException) down).recordId().toString());
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(CLUSTER.server().jdbcUrl(), "postgres", "");
    }

    private static Map<String, Integer> idCounts(String table) throws SQLException {
        Map<String, Integer> counts = new HashMap<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id::text FROM " + table + " WHERE id IS NOT NULL")) {
            while (rows.next()) {
                counts.merge(rows.getString(1), 1, Integer::sum);
            }
        }
        return counts;
    }
}
