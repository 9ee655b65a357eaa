package dev.sqlitemetrics.testkit;

import dev.sqlitemetrics.testkit.internal.run.ConfigArgs;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.testkit.internal.run.WorkerCommand;
import dev.sqlitemetrics.testkit.internal.ledger.Ledger;
import dev.sqlitemetrics.testkit.internal.ledger.LedgerCheck;
import dev.sqlitemetrics.testkit.internal.ledger.LedgerEntry;
import dev.sqlitemetrics.testkit.internal.run.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reliability scenario 22 (docs/reliability.md): a writer JVM killed with SIGKILL mid-burst, then a torn tail on its
 * -wal (the partly written frames of a transaction that never committed). Recovery keeps every
 * acknowledged record, drops the torn frames, and the file passes integrity_check.
 */
class TornWalIT {
    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void aTornWalTailAfterACrashKeepsEveryAcknowledgedRecord() throws Exception {
        Random random = new Random(22);
        for (int round = 0; round < 3; round++) {
            SqliteConfig config = SqliteConfig.defaults(dir.resolve("torn-" + round + ".db"));
            List<String> args = new ArrayList<>(List.of("--path", config.path().toString(), "--writer", "RECORDER",
                    "--threads", "4", "--records-per-writer", "1000000", "--ledger"));
            args.addAll(ConfigArgs.of(config));
            dev.sqlitemetrics.core.MetricsRecorder.open(config).close();
            CountDownLatch ready = new CountDownLatch(1);
            ChildJvm child = ChildJvm.start(WorkerCommand.class.getName(), args, ready);
            assertThat(ready.await(60, TimeUnit.SECONDS)).as(child.tail()).isTrue();
            child.go();
            Thread.sleep(400 + random.nextInt(600));
            child.kill();

            Path wal = Path.of(config.path() + "-wal");
            long sizeBefore = Files.exists(wal) ? Files.size(wal) : 0;
            byte[] torn = new byte[24 + random.nextInt(4096)];
            random.nextBytes(torn);
            try (OutputStream out = Files.newOutputStream(wal, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                out.write(torn);
            }
            assertThat(Files.size(wal)).isEqualTo(sizeBefore + torn.length);

            Ledger ledger = new Ledger();
            ledger.addLines(child.lines());
            assertThat(ledger.count(LedgerEntry.Kind.OK)).as("records were acknowledged before the kill").isPositive();
            LedgerCheck check = LedgerCheck.verify(config, ledger, true);
            assertThat(check.violations()).as("round %d, %d torn bytes after %d bytes of WAL", round, torn.length, sizeBefore)
                    .isEmpty();
        }
    }
}
