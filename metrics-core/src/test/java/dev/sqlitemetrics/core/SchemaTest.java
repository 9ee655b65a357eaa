package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.testing.Db;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reliability scenarios 20 and 24 (docs/reliability.md), and the shape other clients rely on. */
class SchemaTest {
    @TempDir
    Path dir;

    @Test
    void refusesATableOfAnotherShapeListingEveryDifferenceAndAltersNothing() throws Exception {
        Path db = dir.resolve("seed.db");
        Db.execute(db, "CREATE TABLE messages (ts TIMESTAMP DEFAULT CURRENT_TIMESTAMP, msg TEXT, owner TEXT NOT NULL)");
        Db.execute(db, "INSERT INTO messages (msg, owner) VALUES ('old row', 'me')");
        String before = Db.query(db, "SELECT sql FROM sqlite_master WHERE name = 'messages'");

        assertThatThrownBy(() -> MetricsRecorder.open(db))
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("table messages in " + db + " has another shape than the recorder needs: "
                        + "extra column owner is NOT NULL without a default, so inserts would fail; "
                        + "missing column id TEXT; missing column task TEXT; "
                        + "missing column outcome TEXT; missing column duration_ms REAL; missing column attributes TEXT; "
                        + "missing column pid INTEGER; nothing was altered");

        assertThat(Db.query(db, "SELECT sql FROM sqlite_master WHERE name = 'messages'")).isEqualTo(before);
        assertThat(Db.query(db, "SELECT msg FROM messages")).isEqualTo("old row");
    }

    @Test
    void adoptsTheClassicTableKeepingItsRowsReadableBeforeAndAfter() throws Exception {
        Path db = dir.resolve("classic.db");
        Db.execute(db, "CREATE TABLE messages (ts DATE DEFAULT (datetime('now','localtime')), msg TEXT)");
        Db.execute(db, "INSERT INTO messages (msg) VALUES ('old one')");
        Db.execute(db, "INSERT INTO messages (ts, msg) VALUES ('2026-12-05 10:11:12', 'old two')");
        String rows = "SELECT group_concat(ts || '|' || msg, ';') FROM (SELECT ts, msg FROM messages ORDER BY rowid)";
        String before = Db.query(db, rows);
        SqliteConfig config = SqliteConfig.defaults(db);

        // Reading needs no adoption, and writes nothing: the old rows, a time without a zone read as UTC.
        try (MetricsReader reader = MetricsReader.open(config)) {
            assertThat(reader.latest(CompletionFilter.ALL, 10)).extracting(StoredCompletion::message)
                    .containsExactlyInAnyOrder("old one", "old two");
            assertThat(reader.latest(new CompletionFilter(java.time.Instant.parse("2026-12-05T10:11:12Z"),
                    java.time.Instant.parse("2026-12-05T10:11:13Z"), null, null), 10))
                    .extracting(StoredCompletion::message).containsExactly("old two");
            assertThat(reader.summarize(CompletionFilter.ALL, java.util.Set.of(GroupBy.TASK)))
                    .singleElement().satisfies(group -> assertThat(group.count()).isEqualTo(2));
        }
        List<String> planned = TableMigration.plan(config);
        assertThat(planned).containsExactly(
                "ALTER TABLE \"messages\" ADD COLUMN id TEXT", "ALTER TABLE \"messages\" ADD COLUMN task TEXT",
                "ALTER TABLE \"messages\" ADD COLUMN outcome TEXT", "ALTER TABLE \"messages\" ADD COLUMN duration_ms REAL",
                "ALTER TABLE \"messages\" ADD COLUMN attributes TEXT", "ALTER TABLE \"messages\" ADD COLUMN pid INTEGER",
                "CREATE UNIQUE INDEX IF NOT EXISTS \"messages_id\" ON \"messages\" (id)",
                "CREATE INDEX IF NOT EXISTS \"messages_ts\" ON \"messages\" (ts)");
        assertThat(Db.query(db, "SELECT count(*) FROM pragma_table_info('messages')")).as("a plan writes nothing").isEqualTo("2");

        try (MetricsRecorder recorder = MetricsRecorder.open(db)) {
            recorder.record("new");
            UUID id = recorder.recordCompletion(Completion.builder("job", Outcome.SUCCEEDED).build());
            recorder.recordCompletion(Completion.builder("job", Outcome.SUCCEEDED).id(id).build());
            assertThat(recorder.count()).as("the same id again is stored once").isEqualTo(4);
        }
        assertThat(Db.query(db, "SELECT group_concat(ts || '|' || msg, ';') FROM (SELECT ts, msg FROM messages"
                + " WHERE id IS NULL ORDER BY rowid)")).isEqualTo(before);
        assertThat(TableMigration.plan(config)).as("nothing left to change").isEmpty();
        // The classic client's insert still works, with its own default time.
        Db.execute(db, "INSERT INTO messages (msg) VALUES ('classic again')");
        try (MetricsReader reader = MetricsReader.open(config)) {
            assertThat(reader.summarize(CompletionFilter.ALL, java.util.Set.of(GroupBy.TASK)))
                    .extracting(SummaryGroup::count).containsExactlyInAnyOrder(4L, 1L);
        }
    }

    @Test
    void refusesAnIdColumnWithoutAUniqueIndex() throws Exception {
        Path db = dir.resolve("noindex.db");
        Db.execute(db, "CREATE TABLE messages (ts TEXT, msg TEXT, id TEXT, task TEXT, outcome TEXT, duration_ms REAL,"
                + " attributes TEXT, pid INTEGER)");
        assertThatThrownBy(() -> MetricsRecorder.open(db)).isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("no UNIQUE constraint or index on (id)");
    }

    @Test
    void refusesAFileThatIsNotADatabaseAndLeavesItByteForByte() throws Exception {
        Path text = dir.resolve("notes.db");
        Files.writeString(text, "this is a text file, not a database\n".repeat(200));
        Path random = dir.resolve("random.db");
        byte[] bytes = new byte[8192];
        new Random(42).nextBytes(bytes);
        Files.write(random, bytes);
        for (Path path : new Path[] {text, random}) {
            byte[] before = Files.readAllBytes(path);
            assertThatThrownBy(() -> MetricsRecorder.open(path))
                    .isInstanceOf(CorruptDatabaseException.class)
                    .hasMessageContaining(path.toString())
                    .satisfies(e -> assertThat(((MetricsException) e).primaryResultCode()).isEqualTo(26));
            assertThat(Files.readAllBytes(path)).isEqualTo(before);
        }
    }

    @Test
    void usesAConfiguredTableAndLeavesOthersAlone() throws Exception {
        Path db = dir.resolve("metrics.db");
        Db.execute(db, "CREATE TABLE messages (x INTEGER)");
        try (MetricsRecorder recorder = MetricsRecorder.open(SqliteConfig.builder(db).tableName("job_metrics").build())) {
            recorder.record("into job_metrics");
        }
        assertThat(Db.query(db, "SELECT msg FROM job_metrics")).isEqualTo("into job_metrics");
        assertThat(Db.query(db, "SELECT count(*) FROM messages")).isEqualTo("0");
    }

    @Test
    void acceptsForeignInsertsOfTheSeedsShape() throws Exception {
        Path db = dir.resolve("metrics.db");
        try (MetricsRecorder recorder = MetricsRecorder.open(db)) {
            Db.execute(db, "INSERT INTO messages (msg) VALUES ('from another client')");
            recorder.record("from the recorder");
            assertThat(recorder.count()).isEqualTo(2);
        }
        assertThat(Db.query(db, "SELECT ts FROM messages WHERE id IS NULL")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
    }
}
