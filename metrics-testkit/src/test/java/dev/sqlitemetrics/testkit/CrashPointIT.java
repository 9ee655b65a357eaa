package dev.sqlitemetrics.testkit;

import dev.sqlitemetrics.testkit.internal.run.ConfigArgs;
import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.testkit.internal.run.WorkerCommand;
import dev.sqlitemetrics.testkit.internal.ledger.Ledger;
import dev.sqlitemetrics.testkit.internal.ledger.LedgerCheck;
import dev.sqlitemetrics.testkit.internal.ledger.LedgerEntry;
import dev.sqlitemetrics.testkit.internal.run.ChildJvm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reliability scenario 12 (docs/reliability.md): a writer JVM halted (as by SIGKILL) at fixed points of the write path,
 * through the test-only hook {@code -Dsqlitemetrics.test.crashAt}: after BEGIN and after the INSERTs
 * the record is absent, after COMMIT it is present exactly once.
 */
class CrashPointIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"AFTER_BEGIN, 0", "AFTER_INSERT, 0", "AFTER_COMMIT, 1"})
    @Timeout(120)
    void aWriterKilledAtAFixedPointLeavesTheRecordAbsentOrPresentOnce(String point, int copies) throws Exception {
        SqliteConfig config = SqliteConfig.defaults(dir.resolve(point + ".db"));
        MetricsRecorder.open(config).close();
        List<String> args = new ArrayList<>(List.of("--path", config.path().toString(), "--writer", "RECORDER",
                "--threads", "1", "--records-per-writer", "1", "--ledger"));
        args.addAll(ConfigArgs.of(config));
        CountDownLatch ready = new CountDownLatch(1);
        ChildJvm child = ChildJvm.start(List.of(), List.of("-Dsqlitemetrics.test.crashAt=" + point),
                WorkerCommand.class.getName(), args, ready);
        assertThat(ready.await(60, TimeUnit.SECONDS)).as(child.tail()).isTrue();
        child.go();
        assertThat(child.await(TimeUnit.SECONDS.toNanos(60))).isTrue();
        assertThat(child.exitValue()).as(child.tail()).isEqualTo(137);

        Ledger ledger = new Ledger();
        ledger.addLines(child.lines());
        assertThat(ledger.entries()).hasSize(1);
        assertThat(ledger.ids(LedgerEntry.Kind.INV)).as("the call never returned").hasSize(1);
        String id = ledger.ids(LedgerEntry.Kind.INV).get(0);
        assertThat(copiesOf(config, id)).isEqualTo(copies);
        assertThat(LedgerCheck.verify(config, ledger, true).violations()).isEmpty();
    }

    private static int copiesOf(SqliteConfig config, String id) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + config.path());
             PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM messages WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
