package dev.sqlitemetrics.testkit;

import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.PostgresConfig;
import dev.sqlitemetrics.core.testing.ReplicatedPostgres;
import dev.sqlitemetrics.testkit.internal.cli.ContentionCommand;
import dev.sqlitemetrics.testkit.internal.ledger.Fault;
import dev.sqlitemetrics.testkit.internal.ledger.FaultCampaign;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reliability scenario 47: a PostgreSQL primary failed over to its standby under the writers, round
 * after round (primary stopped {@code -m immediate}, standby promoted, a new standby built from the new
 * primary), the writers reaching whichever is primary through a URL that names both hosts. Before each
 * failover the standby falls behind for a moment, as over a slow network. With a synchronous standby
 * the ledger holds every round (nothing acknowledged lost, nothing doubled); with an asynchronous one
 * the same campaign must see acknowledged records lost (its negative control).
 */
class FailoverCampaignIT {
    private static final int JVMS = 2;
    private static final int THREADS = 4;
    private static final int RECORDS = 100;

    @Test
    @Timeout(600)
    void aSynchronousStandbyPromotedUnderTheWritersLosesNothing() throws Exception {
        try (ReplicatedPostgres pair = ReplicatedPostgres.start(true)) {
            FaultCampaign.Result result = campaign(pair, 3, RECORDS, 20261205L);
            System.out.println("synchronous standby: " + result);
            assertThat(result.violations()).as("%s", result).isEmpty();
            assertThat(result.ok()).as("%s", result).isPositive();
        }
    }

    @Test
    @Timeout(600)
    void anAsynchronousStandbyPromotedUnderTheWritersIsCaughtLosingAcknowledgedRecords() throws Exception {
        try (ReplicatedPostgres pair = ReplicatedPostgres.start(false)) {
            FaultCampaign.Result result = campaign(pair, 2, 3 * RECORDS, 20261206L);
            System.out.println("asynchronous standby: " + result);
            assertThat(result.passed()).as("%s", result).isFalse();
            assertThat(result.violations()).as("%s", result).anyMatch(violation -> violation.contains("I1 acknowledged"));
        }
    }

    @Test
    @Timeout(600)
    void theCommandLineRunsAFailoverCampaign() throws Exception {
        try (ReplicatedPostgres pair = ReplicatedPostgres.start(true)) {
            String failover = java() + " -cp " + System.getProperty("java.class.path") + " "
                    + ReplicatedPostgres.class.getName() + " failover " + pair.root();
            List<String> args = new ArrayList<>(List.of("--jdbc-url", pair.jdbcUrl(), "--user", "postgres",
                    "--faults", "failover", "--failover-command", failover, "--rounds", "1", "--processes", "2",
                    "--threads-per-process", "4", "--records-per-writer", "100", "--seed", "7"));
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            var command = ContentionCommand.commandLine();
            command.setOut(new PrintWriter(out));
            command.setErr(new PrintWriter(err));
            int exit = command.execute(args.toArray(String[]::new));
            assertThat(exit).as(out + "\n" + err).isZero();
            assertThat(out.toString()).contains("failover").contains("lost 0");
        }
    }

    private static FaultCampaign.Result campaign(ReplicatedPostgres pair, int rounds, int records, long seed) throws Exception {
        PostgresConfig config = PostgresConfig.builder(pair.jdbcUrl()).user("postgres").tableName("failover").build();
        MetricsRecorder.open(config).close();
        return new FaultCampaign(config, JVMS, THREADS, records, seed, line -> { }, RecorderFactory.DEFAULT,
                Fault.failover(pair::failover)).run(rounds);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
