package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.testing.Db;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class RecordingTest {
    @TempDir
    Path dir;

    @Test
    void recordsAMessageVerbatimAndCountsIt() throws Exception {
        Path db = dir.resolve("metrics.db");
        try (MetricsRecorder recorder = MetricsRecorder.open(db)) {
            UUID id = recorder.record("job-42 done");
            assertThat(recorder.count()).isEqualTo(1);
            assertThat(Db.query(db, "SELECT msg FROM messages WHERE id = '" + id + "'")).isEqualTo("job-42 done");
            assertThat(Db.query(db, "SELECT count(*) FROM messages")).isEqualTo("1");
        }
    }

    @Test
    void storesAStructuredCompletionQueryableWithPlainSql() throws Exception {
        Path db = dir.resolve("metrics.db");
        try (MetricsRecorder recorder = MetricsRecorder.open(db)) {
            UUID id = recorder.recordCompletion(Completion.builder("nightly-export", Outcome.SUCCEEDED)
                    .duration(Duration.ofMillis(1532))
                    .attribute("rows", "1200")
                    .attribute("quote\"d", "line\nbreak")
                    .build());
            try (Connection connection = Db.connect(db); Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery("SELECT task, outcome, duration_ms, msg,"
                         + " json_extract(attributes, '$.rows'), json_extract(attributes, '$.\"quote\\\"d\"'), pid, ts"
                         + " FROM messages WHERE id = '" + id + "'")) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo("nightly-export");
                assertThat(row.getString(2)).isEqualTo("SUCCEEDED");
                assertThat(row.getDouble(3)).isEqualTo(1532.0);
                assertThat(row.getString(4)).isEqualTo("nightly-export SUCCEEDED in 1532ms");
                assertThat(row.getString(5)).isEqualTo("1200");
                assertThat(row.getString(6)).isEqualTo("line\nbreak");
                assertThat(row.getLong(7)).isEqualTo(ProcessHandle.current().pid());
                assertThat(row.getString(8)).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
            }
        }
    }

    @Test
    @Timeout(60)
    void aLargeMixedBatchStoresEveryRecordWithItsOwnValues() throws Exception {
        Path db = dir.resolve("metrics.db");
        BatchSizes batches = new BatchSizes();
        Map<UUID, Integer> plain = new HashMap<>();
        Map<UUID, Integer> structured = new HashMap<>();
        try (MetricsRecorder recorder = MetricsRecorder.open(SqliteConfig.defaults(db), batches);
             Connection holder = Db.connect(db); Statement lock = holder.createStatement()) {
            // Holding the write lock while queueing makes one batch of them all: several statements of
            // many rows each, and a remainder of single rows, of both kinds.
            lock.execute("BEGIN IMMEDIATE");
            List<CompletableFuture<UUID>> futures = new ArrayList<>();
            for (int i = 0; i < 178; i++) {
                futures.add(i % 7 < 4 ? recorder.recordAsync("plain " + i) : recorder.recordCompletionAsync(
                        Completion.builder("task-" + i, Outcome.SUCCEEDED).duration(Duration.ofMillis(i)).build()));
            }
            lock.execute("ROLLBACK");
            for (int i = 0; i < futures.size(); i++) {
                (i % 7 < 4 ? plain : structured).put(futures.get(i).get(30, TimeUnit.SECONDS), i);
            }
        }
        assertThat(batches.sizes()).as("one batch").containsExactly(178);
        assertThat(plain).hasSize(103);
        assertThat(structured).hasSize(75);
        try (Connection connection = Db.connect(db); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id, msg, task, duration_ms FROM messages")) {
            int seen = 0;
            while (rows.next()) {
                seen++;
                UUID id = UUID.fromString(rows.getString(1));
                if (plain.containsKey(id)) {
                    assertThat(rows.getString(2)).isEqualTo("plain " + plain.get(id));
                    assertThat(rows.getString(3)).isNull();
                } else {
                    int i = structured.get(id);
                    assertThat(rows.getString(3)).isEqualTo("task-" + i);
                    assertThat(rows.getDouble(4)).isEqualTo(i);
                }
            }
            assertThat(seen).isEqualTo(178);
        }
    }

    @Test
    void recordingTheSameIdTwiceStoresItOnce() throws Exception {
        Path db = dir.resolve("metrics.db");
        UUID id = RecordIds.next();
        Completion completion = Completion.builder("export", Outcome.FAILED).id(id).build();
        try (MetricsRecorder recorder = MetricsRecorder.open(db)) {
            assertThat(recorder.recordCompletion(completion)).isEqualTo(id);
            assertThat(recorder.recordCompletion(completion)).isEqualTo(id);
        }
        assertThat(Db.idCounts(db)).containsExactly(java.util.Map.entry(id.toString(), 1));
    }

    @Test
    void recordAsyncCompletesAfterCommit() throws Exception {
        Path db = dir.resolve("metrics.db");
        try (MetricsRecorder recorder = MetricsRecorder.open(db)) {
            UUID id = recorder.recordAsync("async").get(30, TimeUnit.SECONDS);
            assertThat(Db.idCounts(db)).containsKey(id.toString());
        }
    }

    @Test
    void storesAwkwardTextVerbatimAndLeavesTheTableIntact() throws Exception {
        Path db = dir.resolve("metrics.db");
        String[] texts = {"nul\u0000inside", "emoji \uD83D\uDE80 done", "it's \"quoted\"", "'); DROP TABLE messages;--", ""};
        try (MetricsRecorder recorder = MetricsRecorder.open(db)) {
            for (String text : texts) {
                UUID id = recorder.record(text);
                try (Connection connection = Db.connect(db);
                     java.sql.PreparedStatement select = connection.prepareStatement("SELECT msg FROM messages WHERE id = ?")) {
                    select.setString(1, id.toString());
                    try (ResultSet row = select.executeQuery()) {
                        assertThat(row.next()).isTrue();
                        assertThat(row.getString(1)).isEqualTo(text);
                    }
                }
            }
            assertThat(recorder.count()).isEqualTo(texts.length);
        }
    }

    @Test
    void reopensAnExistingDatabaseAndKeepsItsRows() throws Exception {
        Path db = dir.resolve("metrics.db");
        try (MetricsRecorder recorder = MetricsRecorder.open(db)) {
            recorder.record("first");
        }
        try (MetricsRecorder recorder = MetricsRecorder.open(db)) {
            recorder.record("second");
            assertThat(recorder.count()).isEqualTo(2);
        }
        assertThat(Db.query(db, "PRAGMA journal_mode")).isEqualTo("wal");
    }
}
