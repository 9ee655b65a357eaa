package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.testing.Concurrently;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The read side on a SQLite file. */
class SqliteReaderTest extends ReaderContract {
    private static final DateTimeFormatter TEXT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Override
    StoreConfig config() {
        return SqliteConfig.defaults(dir.resolve("metrics.db"));
    }

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("metrics.db"));
    }

    @Override
    String timestamp(Instant time) {
        return "'" + TEXT.format(time) + "'";
    }

    @Override
    void bindId(PreparedStatement statement, int index, UUID id) throws SQLException {
        statement.setString(index, id.toString());
    }

    @Test
    void aRowWithTheColumnDefaultsTimestampIsReadToo() throws SQLException {
        try (Connection connection = connect()) {
            connection.createStatement().execute("INSERT INTO messages (ts, msg) VALUES ('2026-01-03 08:00:00', 'seconds only')");
        }
        try (MetricsReader reader = MetricsReader.open(config())) {
            assertThat(reader.latest(CompletionFilter.ALL, 1).get(0).timestamp()).isEqualTo(Instant.parse("2026-01-03T08:00:00Z"));
        }
    }

    @Test
    void aTableMadeWithoutTheIndexesGetsThemAtOpenAndRangeReadsUseThem() throws SQLException {
        Path old = dir.resolve("old.db");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + old)) {
            connection.createStatement().execute("CREATE TABLE messages (ts TEXT NOT NULL DEFAULT"
                    + " (strftime('%Y-%m-%d %H:%M:%f', 'now')), msg TEXT, id TEXT UNIQUE, task TEXT, outcome TEXT,"
                    + " duration_ms REAL, attributes TEXT, pid INTEGER)");
            connection.createStatement().execute("INSERT INTO messages (msg) VALUES ('before the indexes')");
        }
        MetricsRecorder.open(old).close();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + old);
             var rows = connection.createStatement().executeQuery(
                     "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name");
             var plan = connection.createStatement().executeQuery(
                     "EXPLAIN QUERY PLAN SELECT ts, task FROM messages WHERE ts >= '2026-01-01' AND ts < '2026-01-02' AND task = 'build'")) {
            java.util.List<String> names = new java.util.ArrayList<>();
            while (rows.next()) {
                names.add(rows.getString(1));
            }
            assertThat(names).containsExactly("messages_ts");
            plan.next();
            assertThat(plan.getString("detail")).contains("INDEX messages_ts");
        }
        try (MetricsReader reader = MetricsReader.open(SqliteConfig.defaults(old))) {
            assertThat(reader.latest(CompletionFilter.ALL, 5)).extracting(StoredCompletion::message)
                    .containsExactly("before the indexes");
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void pruningBesideLiveRecordersLosesNoRecordAndCountsEveryDeletedRow() throws Exception {
        try (Connection connection = connect()) {
            connection.createStatement().execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                    + " WHERE i < 20000) INSERT INTO messages (ts, msg, task, outcome, duration_ms)"
                    + " SELECT strftime('%Y-%m-%d %H:%M:%f', '2026-03-01', '+' || i || ' seconds'), 'old', 'etl',"
                    + " 'SUCCEEDED', i % 100 FROM n");
        }
        java.util.List<UUID> recorded = new java.util.concurrent.CopyOnWriteArrayList<>();
        PruneResult[] pruned = new PruneResult[1];
        try (MetricsRecorder recorder = MetricsRecorder.open(config());
             MetricsRetention retention = MetricsRetention.open(config())) {
            Concurrently.run(9, 90, index -> {
                if (index == 0) {
                    pruned[0] = retention.prune(Instant.parse("2026-06-01T00:00:00Z"), true);
                } else {
                    for (int i = 0; i < 200; i++) {
                        recorded.add(recorder.record("live " + index + "/" + i));
                    }
                }
                return null;
            });
        }
        assertThat(pruned[0].deleted()).isEqualTo(20_108);
        try (MetricsReader reader = MetricsReader.open(config());
             MetricsRetention retention = MetricsRetention.open(config())) {
            assertThat(recorded).hasSize(1_600).allSatisfy(id -> assertThat(reader.contains(id)).isTrue());
            assertThat(reader.summarize(CompletionFilter.ALL, java.util.Set.of())).singleElement()
                    .satisfies(group -> assertThat(group.count()).isEqualTo(1_600));
            assertThat(retention.dailySummaries().stream().mapToLong(SummaryGroup::count).sum()).isEqualTo(20_108);
        }
    }

    @Test
    void aMissingFileFailsTheReadNamingIt() {
        try (MetricsReader reader = MetricsReader.open(SqliteConfig.defaults(dir.resolve("absent.db")))) {
            assertThatThrownBy(() -> reader.contains(RecordIds.next())).isInstanceOf(MetricsException.class)
                    .hasMessageContaining("absent.db");
        }
        assertThat(dir.resolve("absent.db")).doesNotExist();
    }
}
