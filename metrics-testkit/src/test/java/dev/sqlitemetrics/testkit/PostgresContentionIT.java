package dev.sqlitemetrics.testkit;

import dev.sqlitemetrics.core.PostgresConfig;
import dev.sqlitemetrics.core.testing.PostgresServer;
import dev.sqlitemetrics.testkit.internal.ledger.Fault;
import dev.sqlitemetrics.testkit.internal.ledger.FaultCampaign;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.sqlitemetrics.testkit.internal.run.Attempt;
import dev.sqlitemetrics.testkit.internal.run.AttemptWriter;
import dev.sqlitemetrics.testkit.internal.run.Target;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The testkit on a real PostgreSQL server: the same scenarios, verdict and campaigns as on SQLite,
 * each level on a table of its own.
 */
class PostgresContentionIT {
    @RegisterExtension
    static final PostgresServer.PerClass CLUSTER = new PostgresServer.PerClass();

    @TempDir
    Path dir;

    private static PostgresConfig config(String table) {
        return PostgresConfig.builder(CLUSTER.server().jdbcUrl()).user("postgres").password("not-needed-but-kept-secret")
                .tableName(table).build();
    }

    @Test
    @Timeout(300)
    void theRecorderPassesInThreadsAndInChildJvmsWithEveryRowAccountedFor() {
        for (int processes : new int[] {0, 2}) {
            ContentionReport report = ContentionRunner.run(Scenario.builder().writerCounts(8, 64).recordsPerWriter(5)
                    .processes(processes).prefillRows(50).build(), config("contention_" + processes), dir);
            ContentionAssertions.assertThat(report).lostNothing().failedNothing().passed();
            assertThat(report.levels()).extracting(LevelResult::acknowledged).containsExactly(40L, 320L);
            assertThat(report.config().database()).doesNotContain("not-needed");
        }
    }

    @Test
    @Timeout(300)
    void aMisbehavingRecorderFailsTheVerdictOnPostgresToo() {
        ContentionReport report = ContentionRunner.of(Scenario.builder().writerCounts(4).recordsPerWriter(50).build(),
                config("misbehaving"), dir).withRecorderFactory(new MisbehavingRecorders.LosesOneInHundred()).run();
        assertThat(report.passed()).isFalse();
        assertThat(report.levels().get(0).violations()).contains("2 lost > maxLost 0");
    }

    @Test
    @Timeout(300)
    void theNaiveWriterLosesNothingAndAFullServerIsNotWritten() throws Exception {
        try (PostgresServer small = PostgresServer.start("-c max_connections=10 -c superuser_reserved_connections=0")) {
            PostgresConfig config = PostgresConfig.builder(small.jdbcUrl()).user("postgres").tableName("naive").build();
            ContentionReport report = ContentionRunner.run(Scenario.builder().writer(WriterKind.NAIVE).writerCounts(300)
                    .build(), config, dir);
            LevelResult level = report.levels().get(0);
            assertThat(level.failed() + level.acknowledged()).isEqualTo(300);
            assertThat(level.lost()).isZero();
            assertThat(level.failuresByCode().keySet()).allMatch(code -> code.startsWith("NOT_WRITTEN:SQLSTATE_53300"));

            // Whether 300 writers of one JVM ever overlap past 10 connections depends on the scheduler; a
            // server whose every slot is taken refuses for certain: PostgreSQL's "database is locked".
            List<Connection> crowd = new ArrayList<>();
            try {
                try {
                    while (true) {
                        crowd.add(DriverManager.getConnection(small.jdbcUrl(), "postgres", ""));
                    }
                } catch (SQLException full) {
                    assertThat(full.getSQLState()).isEqualTo("53300");
                }
                try (AttemptWriter naive = Target.of(config).naive(Duration.ofSeconds(3))) {
                    Attempt refused = naive.write(0, 0, "while the server is full");
                    assertThat(refused.status()).isEqualTo(Attempt.Status.NOT_WRITTEN);
                    assertThat(refused.code()).isEqualTo("SQLSTATE_53300");
                }
            } finally {
                for (Connection connection : crowd) {
                    connection.close();
                }
            }
        }
    }

    @Test
    @Timeout(300)
    void aServerRestartedUnderTheWritersLosesNothing() throws Exception {
        FaultCampaign.Result result = new FaultCampaign(config("restarts"), 2, 4, 400, 20261201L, line -> { },
                RecorderFactory.DEFAULT, Fault.restartServer(() -> {
                    CLUSTER.server().stopImmediately();
                    CLUSTER.server().restart();
                })).run(3);
        assertThat(result.violations()).as("%s", result).isEmpty();
        assertThat(result.ok()).isEqualTo(3 * 2 * 4 * 400 + 2);
        assertThat(result.killed()).as("restarts that landed while writing: %s", result).isPositive();
    }

    @Test
    @Timeout(300)
    void theCommandLineRunsAServerRestartCampaign() {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine command = dev.sqlitemetrics.testkit.internal.cli.ContentionCommand.commandLine();
        command.setOut(new java.io.PrintWriter(out));
        command.setErr(new java.io.PrintWriter(err));
        int exit = command.execute("--jdbc-url", CLUSTER.server().jdbcUrl(), "--user", "postgres", "--table-name", "cli_restarts",
                "--faults", "server-restart", "--restart-command", CLUSTER.server().restartCommand(), "--rounds", "2",
                "--processes", "2", "--threads-per-process", "2", "--records-per-writer", "200", "--seed", "3");
        assertThat(exit).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains("server-restart campaign: 2 rounds", "every invariant held");
    }

    @Test
    @Timeout(300)
    void aKillCampaignOnPostgresHoldsEveryInvariant() throws Exception {
        FaultCampaign.Result result = new FaultCampaign(config("campaign"), 3, 4, 150, 20261201L, line -> { }).run(2);
        assertThat(result.violations()).as("%s", result).isEmpty();
        assertThat(result.ok()).isPositive();
    }
}
