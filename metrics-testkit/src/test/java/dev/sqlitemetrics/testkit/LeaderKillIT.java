package dev.sqlitemetrics.testkit;

import dev.sqlitemetrics.testkit.internal.run.ConfigArgs;
import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.testkit.internal.ledger.Ledger;
import dev.sqlitemetrics.testkit.internal.ledger.LedgerCheck;
import dev.sqlitemetrics.testkit.internal.run.ChildJvm;
import dev.sqlitemetrics.testkit.internal.run.WorkerCommand;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reliability scenario (docs/reliability.md, leader killed): with shared commits, the leader (the process committing other
 * processes' records from the shared spool) is halted, as by SIGKILL, at each step of its commit:
 * after taking the records, after BEGIN, and after COMMIT before the spool says so. The other
 * processes must take over: every acknowledged record present exactly once, nothing acknowledged
 * lost, checked against every writer's ledger. The halting JVM exits 137 only if it did lead with
 * other processes' records, so a round that never reached the step fails instead of passing.
 */
class LeaderKillIT {
    private static final int ROUNDS = 3;
    private static final int PROCESSES = 4;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"LEADER_AFTER_TAKE", "LEADER_AFTER_BEGIN", "LEADER_AFTER_COMMIT"})
    @Timeout(300)
    void aLeaderKilledAtAnyStepLeavesEveryAcknowledgedRecordOnce(String point) throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            SqliteConfig config = SqliteConfig.builder(dir.resolve(point + "-" + round + ".db"))
                    .sharedCommits(true).build();
            MetricsRecorder.open(config).close();
            List<String> args = new ArrayList<>(List.of("--path", config.path().toString(), "--writer", "RECORDER",
                    "--threads", "8", "--records-per-writer", "150", "--ledger"));
            args.addAll(ConfigArgs.of(config));

            CountDownLatch ready = new CountDownLatch(PROCESSES);
            List<ChildJvm> children = new ArrayList<>();
            try {
                for (int i = 0; i < PROCESSES; i++) {
                    List<String> options = i == 0 ? List.of("-Dsqlitemetrics.test.crashAt=" + point) : List.of();
                    children.add(ChildJvm.start(List.of(), options, WorkerCommand.class.getName(), args, ready));
                }
                assertThat(ready.await(120, TimeUnit.SECONDS)).as("every writer JVM ready").isTrue();
                for (ChildJvm child : children) {
                    child.go();
                }
                for (ChildJvm child : children) {
                    assertThat(child.await(TimeUnit.SECONDS.toNanos(120))).as(child.tail()).isTrue();
                }
                assertThat(children.get(0).exitValue()).as("the armed JVM halted as a leader: " + children.get(0).tail())
                        .isEqualTo(137);
                for (ChildJvm survivor : children.subList(1, PROCESSES)) {
                    assertThat(survivor.exitValue()).as(survivor.tail()).isZero();
                }
            } finally {
                for (ChildJvm child : children) {
                    child.kill();
                }
            }

            Ledger ledger = new Ledger();
            children.forEach(child -> ledger.addLines(child.lines()));
            LedgerCheck check = LedgerCheck.verify(config, ledger, true);
            assertThat(check.violations()).as("round " + round + ": " + check).isEmpty();
            assertThat(check.ok()).as("the survivors' records were acknowledged").isGreaterThanOrEqualTo(
                    (PROCESSES - 1) * 8 * 150L);
            assertThat(check.failed()).as("no call failed: the survivors carried on").isZero();
        }
    }
}
