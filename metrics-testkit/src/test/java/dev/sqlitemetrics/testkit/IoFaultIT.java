package dev.sqlitemetrics.testkit;

import dev.sqlitemetrics.testkit.internal.run.ConfigArgs;
import dev.sqlitemetrics.core.testing.Await;
import dev.sqlitemetrics.core.testing.Commands;
import dev.sqlitemetrics.core.Completion;
import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.Outcome;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.testkit.internal.run.WorkerCommand;
import dev.sqlitemetrics.testkit.internal.ledger.Ledger;
import dev.sqlitemetrics.testkit.internal.ledger.LedgerCheck;
import dev.sqlitemetrics.testkit.internal.ledger.LedgerEntry;
import dev.sqlitemetrics.testkit.internal.run.ChildJvm;
import dev.sqlitemetrics.testkit.internal.run.RecordContent;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reliability scenarios 15 and 16 (docs/reliability.md): fsync and write errors injected into a writer JVM with
 * Debian's fiu-utils ({@code fiu-run -x}, {@code fiu-ctrl}). Fails, saying why, where fiu-utils is
 * missing; scripts/test-all installs it.
 */
class IoFaultIT {
    @TempDir
    Path dir;

    @BeforeEach
    void needsFiu() throws InterruptedException {
        Assertions.assertTrue(Commands.succeeds("fiu-run", "-x", "true") && Commands.succeeds("sh", "-c", "command -v fiu-ctrl"),
                "fiu-utils (fiu-run, fiu-ctrl) is not installed: these fault-injection checks need it (scripts/test-all installs it)");
    }

    @Test
    @Timeout(180)
    void failedFsyncIsNeverAcknowledgedAndReRecordingTheSameIdsStoresThemOnce() throws Exception {
        // A short deadline, so that failures reach the callers before the kill; a failed COMMIT must
        // then be reported UNKNOWN, never NOT_WRITTEN: its frames may be in the WAL and replayed (I3).
        SqliteConfig config = SqliteConfig.builder(dir.resolve("fsync.db"))
                .retry(dev.sqlitemetrics.core.Retry.defaults().withDeadline(java.time.Duration.ofMillis(300))).build();
        ChildJvm child = startUnderFiu(config, 4, 1_000_000);
        awaitLines(child, 100, "100 acknowledged records before the fault", "L OK ");
        assertThat(fiuCtrl(child, "enable name=posix/io/sync/fsync")).isTrue();
        // Killed once failed syncs have reached callers: a short deadline (300 ms) makes that quick.
        awaitLines(child, 20, "20 failures reported after the fault", "L UNKNOWN ", "L FAIL ");
        child.kill();

        Ledger ledger = new Ledger();
        ledger.addLines(child.lines());
        LedgerCheck afterCrash = LedgerCheck.verify(config, copyOf(ledger), false);
        assertThat(afterCrash.violations()).isEmpty();
        List<LedgerEntry> failures = ledger.failures();
        assertThat(failures).as("fsync failures were reported; the writer said:\n%s", child.tail()).isNotEmpty();
        assertThat(failures).allSatisfy(entry -> assertThat(entry.code()).startsWith("SQLITE_IOERR"));
        assertThat(ledger.count(LedgerEntry.Kind.OK)).isPositive();

        // After the crash: record every id of unknown outcome again; the id makes it idempotent.
        List<String> uncertain = new ArrayList<>(ledger.ids(LedgerEntry.Kind.UNKNOWN));
        uncertain.addAll(ledger.ids(LedgerEntry.Kind.INV));
        String again = RecordContent.hash("again", "ledger", Outcome.SUCCEEDED.name());
        try (MetricsRecorder recorder = MetricsRecorder.open(config)) {
            for (String id : uncertain) {
                ledger.add(LedgerEntry.invoked(id, again));
                recorder.recordCompletion(Completion.builder("ledger", Outcome.SUCCEEDED).id(java.util.UUID.fromString(id))
                        .message("again").build());
                ledger.add(LedgerEntry.answered(LedgerEntry.Kind.OK, id, null));
            }
        }
        LedgerCheck check = LedgerCheck.verify(config, ledger, true);
        assertThat(check.violations()).isEmpty();
    }

    @Test
    @Timeout(180)
    void randomWriteErrorsForTwoSecondsGiveOnlyOkNotWrittenOrUnknownAndTheWriterRecovers() throws Exception {
        SqliteConfig config = SqliteConfig.defaults(dir.resolve("pwrite.db"));
        ChildJvm child = startUnderFiu(config, 4, 3_000);
        awaitLines(child, 100, "100 acknowledged records before the fault", "L OK ");
        assertThat(fiuCtrl(child, "enable_random name=posix/io/rw/pwrite,probability=0.05")).isTrue();
        Thread.sleep(2_000);
        assertThat(fiuCtrl(child, "disable name=posix/io/rw/pwrite")).isTrue();
        assertThat(child.await(TimeUnit.SECONDS.toNanos(120))).as("writer finished").isTrue();
        assertThat(child.exitValue()).as(child.tail()).isZero();

        Ledger ledger = new Ledger();
        ledger.addLines(child.lines());
        assertThat(ledger.failures()).allSatisfy(entry -> assertThat(entry.code()).startsWith("SQLITE_"));
        assertThat(ledger.count(LedgerEntry.Kind.INV)).isZero();
        assertThat(ledger.count(LedgerEntry.Kind.OK)).isPositive();
        LedgerCheck check = LedgerCheck.verify(config, ledger, true);
        assertThat(check.violations()).isEmpty();
    }

    private ChildJvm startUnderFiu(SqliteConfig config, int threads, int records) throws Exception {
        MetricsRecorder.open(config).close();
        List<String> args = new ArrayList<>(List.of("--path", config.path().toString(), "--writer", "RECORDER",
                "--threads", String.valueOf(threads), "--records-per-writer", String.valueOf(records), "--ledger"));
        args.addAll(ConfigArgs.of(config));
        CountDownLatch ready = new CountDownLatch(1);
        ChildJvm child = ChildJvm.start(List.of("fiu-run", "-x"), WorkerCommand.class.getName(), args, ready);
        assertThat(ready.await(60, TimeUnit.SECONDS)).as(child.tail()).isTrue();
        child.go();
        return child;
    }

    private static Ledger copyOf(Ledger ledger) {
        Ledger copy = new Ledger();
        ledger.entries().values().forEach(lines -> lines.forEach(copy::add));
        return copy;
    }

    private static boolean fiuCtrl(ChildJvm child, String command) throws InterruptedException {
        return Commands.succeeds("fiu-ctrl", "-c", command, String.valueOf(child.pid()));
    }

    /** Waits until the writer's ledger holds {@code count} lines starting with one of {@code prefixes} (or it ended). */
    private static void awaitLines(ChildJvm child, int count, String what, String... prefixes) throws InterruptedException {
        Await.until(() -> !child.isAlive() || child.lines().stream()
                .filter(line -> java.util.Arrays.stream(prefixes).anyMatch(line::startsWith)).count() >= count,
                java.time.Duration.ofSeconds(60), what);
    }
}
