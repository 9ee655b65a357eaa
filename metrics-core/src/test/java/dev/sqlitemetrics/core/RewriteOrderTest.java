package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.testing.Db;
import dev.sqlitemetrics.core.testing.FaultyConnection;
import dev.sqlitemetrics.core.internal.write.GroupCommitRecorder;
import dev.sqlitemetrics.core.testing.FaultyConnection.Step;
import dev.sqlitemetrics.core.internal.sqlite.SqliteStore;
import dev.sqlitemetrics.core.internal.write.CallbackExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch written again after a COMMIT of unknown outcome deletes its present rows and inserts them
 * again. When those were the newest rows, SQLite then hands out their rowids once more: they must go
 * back to the rewritten rows, which a forwarder may have shipped already, never to a record that joined
 * the retry, which a forwarder's mark past those rowids would skip for ever.
 */
class RewriteOrderTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void aRecordJoiningARewriteGetsARowidAboveEveryRowThatWasThere() throws Exception {
        Path db = dir.resolve("rewrite.db");
        SqliteConfig config = SqliteConfig.defaults(db);
        MetricsRecorder.open(config).close();
        AtomicReference<MetricsRecorder> opened = new AtomicReference<>();
        AtomicLong newestBefore = new AtomicLong();
        CompletableFuture<CompletableFuture<UUID>> joiner = new CompletableFuture<>();
        // The COMMIT went through; the writer hears an I/O error, and a plain record is queued meanwhile.
        FaultyConnection faults = new FaultyConnection(Step.AFTER_COMMIT, () -> {
            try {
                newestBefore.set(Long.parseLong(Db.query(db, "SELECT max(rowid) FROM messages")));
            } catch (SQLException e) {
                return e;
            }
            joiner.complete(opened.get().recordAsync("joined the rewrite"));
            return new SQLiteException("[SQLITE_IOERR_FSYNC] injected", SQLiteErrorCode.SQLITE_IOERR_FSYNC);
        });
        try (MetricsRecorder recorder = new GroupCommitRecorder(config, RecorderListener.NONE,
                guarded -> SqliteStore.open(config, guarded, faults::wrap), CallbackExecutor.create("test-callbacks"), "test")) {
            opened.set(recorder);
            UUID rewritten = recorder.recordCompletion(Completion.builder("job", Outcome.SUCCEEDED).build());
            UUID joined = joiner.get(30, TimeUnit.SECONDS).get(30, TimeUnit.SECONDS);
            assertThat(faults.fired()).isTrue();
            assertThat(Db.idCounts(db)).containsEntry(rewritten.toString(), 1).containsEntry(joined.toString(), 1);
            assertThat(rowid(db, joined)).isGreaterThan(newestBefore.get());
        }
    }

    private static long rowid(Path db, UUID id) throws SQLException {
        return Long.parseLong(Db.query(db, "SELECT rowid FROM messages WHERE id = '" + id + "'"));
    }
}
