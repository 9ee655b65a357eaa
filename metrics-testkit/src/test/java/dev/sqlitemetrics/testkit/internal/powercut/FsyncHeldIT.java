package dev.sqlitemetrics.testkit.internal.powercut;

import dev.sqlitemetrics.core.MetricsException;
import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.core.Retry;
import dev.sqlitemetrics.core.WriteOutcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reliability scenario 46 on SQLite: a file system whose {@code fsync} does not return (a hung NFS
 * server, a dying disk), held by the power-cut file system for as long as the test wants. A
 * long-lived recorder answers within its retry deadline plus {@link #MARGIN}: UNKNOWN for the record
 * whose COMMIT waits for the sync, NOT_WRITTEN for one still queued behind it, and records again once
 * the file system answers.
 */
class FsyncHeldIT {
    private static final Duration DEADLINE = Duration.ofSeconds(1);
    /** The recorder's answer margin (1 s) and a loaded 2-core machine. */
    private static final Duration MARGIN = Duration.ofMillis(1_500);

    @TempDir
    Path dir;

    @BeforeAll
    static void fuseIsAvailable() {
        assertTrue(PowerCutMount.unavailable().isEmpty(), () -> PowerCutMount.unavailable().get()
                + " (scripts/test-all installs libfuse2 and fuse)");
    }

    @Test
    @Timeout(120)
    void aSyncThatNeverReturnsIsAnsweredWithinTheDeadlineAndTheRecorderGoesOnAfterIt() throws Exception {
        try (PowerCutMount mount = PowerCutMount.mount(dir.resolve("disk"), dir.resolve("mnt"))) {
            Path db = mount.path().resolve("metrics.db");
            SqliteConfig config = SqliteConfig.builder(db).retry(Retry.defaults().withDeadline(DEADLINE)).build();
            try (MetricsRecorder recorder = MetricsRecorder.open(config)) {
                recorder.record("before");
                mount.holdSyncs();
                UUID after;
                try {
                    CompletableFuture<Answer> held = answerOf(() -> recorder.record("its COMMIT waits for the sync"));
                    Thread.sleep(200);
                    CompletableFuture<Answer> queued = answerOf(() -> recorder.record("queued behind it"));
                    Answer first = held.get(30, TimeUnit.SECONDS);
                    Answer second = queued.get(30, TimeUnit.SECONDS);
                    assertThat(first.failure().outcome()).as(first.failure().getMessage()).isEqualTo(WriteOutcome.UNKNOWN);
                    assertThat(first.took()).isLessThan(DEADLINE.plus(MARGIN));
                    assertThat(second.failure().outcome()).as(second.failure().getMessage())
                            .isEqualTo(WriteOutcome.NOT_WRITTEN);
                    assertThat(second.took()).isLessThan(DEADLINE.plus(MARGIN));
                    // close() does not wait for a statement that never returns either (asked from another thread
                    // on a second recorder would show nothing new: the writer is the one stuck).
                } finally {
                    mount.releaseSyncs();
                }
                after = recorder.record("after the file system answers again");
                assertThat(copies(db, after)).isEqualTo(1);
            }
        }
    }

    /** What a call answered and how long it took. */
    private record Answer(MetricsException failure, Duration took) {
    }

    private interface Call {
        void run();
    }

    private static CompletableFuture<Answer> answerOf(Call call) {
        return CompletableFuture.supplyAsync(() -> {
            long start = System.nanoTime();
            try {
                call.run();
                return new Answer(null, Duration.ofNanos(System.nanoTime() - start));
            } catch (MetricsException e) {
                return new Answer(e, Duration.ofNanos(System.nanoTime() - start));
            }
        }, runnable -> new Thread(runnable, "caller").start());
    }

    private static int copies(Path db, UUID id) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM messages WHERE id = ?")) {
            select.setString(1, id.toString());
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
