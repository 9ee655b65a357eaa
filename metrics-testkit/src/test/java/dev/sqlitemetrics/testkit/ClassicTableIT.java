package dev.sqlitemetrics.testkit;

import dev.sqlitemetrics.testkit.internal.run.ConfigArgs;
import dev.sqlitemetrics.core.CompletionFilter;
import dev.sqlitemetrics.core.GroupBy;
import dev.sqlitemetrics.core.MetricsReader;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.core.SummaryGroup;
import dev.sqlitemetrics.core.TableMigration;
import dev.sqlitemetrics.testkit.internal.run.ProcessWriters;
import dev.sqlitemetrics.testkit.internal.run.ReleaseHooks;
import dev.sqlitemetrics.testkit.internal.run.TableSnapshot;
import dev.sqlitemetrics.testkit.internal.run.Target;
import dev.sqlitemetrics.testkit.internal.run.ThreadWriters;
import dev.sqlitemetrics.testkit.internal.run.Verifier;
import dev.sqlitemetrics.testkit.internal.run.WorkerCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The classic experiment's table adopted under contention: 8 writer JVMs open a file holding
 * {@code messages(ts DATE DEFAULT (datetime('now','localtime')), msg TEXT)} and 500 of its rows at one
 * barrier. One of them adds the recorder's columns, the others find nothing left to do; every old
 * row keeps its time and message, every new record is present once.
 */
class ClassicTableIT {
    private static final int OLD_ROWS = 500;

    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void eightJvmsOpeningAClassicFileAtOnceAdoptItAndKeepEveryRow() throws Exception {
        Path db = dir.resolve("classic.db");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE messages (ts DATE DEFAULT (datetime('now','localtime')), msg TEXT)");
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO messages (msg) VALUES (?)")) {
                for (int i = 0; i < OLD_ROWS; i++) {
                    insert.setString(1, "classic row " + i);
                    insert.executeUpdate();
                }
            }
            connection.commit();
        }
        String oldRows = "SELECT group_concat(ts || '|' || msg, ';') FROM (SELECT ts, msg FROM messages"
                + " WHERE rowid <= " + OLD_ROWS + " ORDER BY rowid)";
        String before = query(db, oldRows);
        // What the old rows look like to the verifier: an adopted copy (adopting changes no row).
        Path copy = Files.copy(db, dir.resolve("copy.db"));
        TableMigration.apply(SqliteConfig.defaults(copy));
        TableSnapshot beforeSnapshot = TableSnapshot.read(Target.of(SqliteConfig.defaults(copy)));
        assertThat(beforeSnapshot.anonymous()).isEqualTo(OLD_ROWS);

        SqliteConfig config = SqliteConfig.defaults(db);
        List<String> args = new ArrayList<>(List.of("--path", db.toString(), "--writer", "RECORDER", "--threads", "4",
                "--records-per-writer", "2", "--open-after-go"));
        args.addAll(ConfigArgs.of(config));
        TableSnapshot[] answered = new TableSnapshot[1];
        ThreadWriters.Result result = ProcessWriters.run(WorkerCommand.class.getName(), Collections.nCopies(8, args),
                Map.of(), ReleaseHooks.NONE, 240, () -> answered[0] = TableSnapshot.read(Target.of(config)));

        LevelResult level = Verifier.evaluate(32, result.attempts(), beforeSnapshot, answered[0],
                TableSnapshot.read(Target.of(config)), result.releaseNanos(), Thresholds.NOTHING_LOST);
        assertThat(level.violations()).isEmpty();
        assertThat(level.acknowledged()).isEqualTo(64);
        assertThat(query(db, oldRows)).as("every old row's time and message").isEqualTo(before);
        assertThat(query(db, "SELECT count(*) FROM messages")).isEqualTo(String.valueOf(OLD_ROWS + 64));
        assertThat(query(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN"
                + " ('messages_id', 'messages_ts')")).isEqualTo("2");
        assertThat(query(db, "PRAGMA integrity_check")).isEqualTo("ok");
        try (MetricsReader reader = MetricsReader.open(config)) {
            long counted = reader.summarize(CompletionFilter.ALL, Set.of(GroupBy.TASK)).stream()
                    .mapToLong(SummaryGroup::count).sum();
            assertThat(counted).as("summaries count the old rows").isEqualTo(OLD_ROWS + 64);
        }
    }

    private static String query(Path db, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
