package dev.sqlitemetrics.testkit.internal.powercut;

import dev.sqlitemetrics.core.JournalMode;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.core.Synchronous;
import dev.sqlitemetrics.testkit.RecorderFactory;
import dev.sqlitemetrics.testkit.internal.cli.ContentionCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenario 35: power cuts under the recorder. With {@code synchronous=FULL} (WAL and DELETE) every
 * acknowledged record survives every cut; the negative controls show the harness sees loss where
 * there is some: {@code NORMAL} in WAL mode loses acknowledged records, {@code OFF} the table itself.
 */
class PowerCutCampaignIT {
    private static final int ROUNDS = 3;

    @TempDir
    Path dir;

    @BeforeAll
    static void fuseIsAvailable() {
        assertTrue(PowerCutMount.unavailable().isEmpty(), () -> PowerCutMount.unavailable().get()
                + " (scripts/test-all installs libfuse2 and fuse)");
    }

    @ParameterizedTest
    @EnumSource(value = JournalMode.class, names = {"WAL", "DELETE"})
    @Timeout(300)
    void withFullEveryAcknowledgedRecordSurvivesEveryCut(JournalMode mode) throws Exception {
        PowerCutCampaign.Result result = campaign(mode, Synchronous.FULL).run(ROUNDS);

        assertThat(result.passed()).as(result.toString()).isTrue();
        assertThat(result.lost()).isZero();
        assertThat(result.rounds()).allSatisfy(round -> {
            assertThat(round.integrity()).isEqualTo("ok");
            assertThat(round.duplicated()).isZero();
        });
        // A cut that came before any acknowledgement, or after the last, would prove little.
        assertThat(result.rounds()).as(result.toString())
                .anySatisfy(round -> assertThat(round.acknowledged()).isPositive())
                .anySatisfy(round -> assertThat(round.cutWhileWriting()).isTrue());
    }

    @Test
    @Timeout(300)
    void withNormalInWalModeAcknowledgedRecordsAreLost() throws Exception {
        PowerCutCampaign.Result result = campaign(JournalMode.WAL, Synchronous.NORMAL).run(ROUNDS);

        assertThat(result.passed()).as(result.toString()).isFalse();
        assertThat(result.roundsWithLoss()).as(result.toString()).isPositive();
        assertThat(result.toString()).contains("ACKNOWLEDGED RECORDS LOST");
    }

    @Test
    @Timeout(300)
    void withOffTheTableItselfIsLostAndTheCommandLineExitsOne() {
        StringWriter out = new StringWriter();
        CommandLine command = ContentionCommand.commandLine();
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(new StringWriter()));
        int exit = command.execute("--faults", "power-cut", "--rounds", "1", "--processes", "2",
                "--threads-per-process", "4", "--synchronous", "OFF", "--seed", "35", "--work-dir", dir.toString());

        assertThat(exit).as(out.toString()).isEqualTo(1); // thresholds violated
        assertThat(out.toString()).contains("synchronous=OFF", "is gone", "ACKNOWLEDGED RECORDS LOST");
    }

    private PowerCutCampaign campaign(JournalMode mode, Synchronous synchronous) {
        SqliteConfig config = SqliteConfig.builder(dir.resolve("metrics.db")).journalMode(mode)
                .synchronous(synchronous).build();
        return new PowerCutCampaign(config, dir, 2, 4, 200, 20261201L + mode.ordinal(), message -> { },
                RecorderFactory.DEFAULT);
    }
}
