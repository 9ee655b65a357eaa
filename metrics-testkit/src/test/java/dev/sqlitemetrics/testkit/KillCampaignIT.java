package dev.sqlitemetrics.testkit;

import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.testkit.internal.ledger.FaultCampaign;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Reliability scenario 11 (docs/reliability.md): SIGKILL of random writer JVMs over several rounds; every ledger checked
 * (I1-I7). CI-sized; `--faults kill --rounds N` on the CLI runs longer campaigns.
 */
class KillCampaignIT {
    @TempDir
    Path dir;

    @Test
    @Timeout(600)
    void killedWritersNeverCostAnAcknowledgedRecordOrDuplicateOne() throws Exception {
        long seed = Long.getLong("sqlitemetrics.killSeed", System.nanoTime());
        int rounds = Integer.getInteger("sqlitemetrics.killRounds", 4);
        // Enough records that writers are still at it when the kill comes (50-800 ms after release).
        FaultCampaign.Result result = new FaultCampaign(SqliteConfig.defaults(dir.resolve("kill.db")), 3, 8, 400, seed,
                line -> { }).run(rounds);
        assertThat(result.violations()).as("seed %d: %s", seed, result).isEmpty();
        // A kill that came after its victim finished tests nothing: most rounds must have killed mid-write.
        assertThat(result.noKillRounds()).as("seed %d: %s", seed, result).hasSizeLessThanOrEqualTo(rounds / 2);
        assertThat(result.killed()).isGreaterThanOrEqualTo(rounds / 2);
        assertThat(result.ok()).isPositive();
        System.out.println("seed " + seed + ": " + result);
    }

    @Test
    @Timeout(60)
    void refusesATableThatAlreadyHoldsRecords() {
        SqliteConfig config = SqliteConfig.defaults(dir.resolve("used.db"));
        try (MetricsRecorder recorder = MetricsRecorder.open(config)) {
            recorder.record("from before the campaign");
        }
        assertThatThrownBy(() -> new FaultCampaign(config, 2, 1, 1, 1L, line -> { }).run(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a kill campaign needs a table without records: " + config.path() + " holds 1 already");
    }
}
