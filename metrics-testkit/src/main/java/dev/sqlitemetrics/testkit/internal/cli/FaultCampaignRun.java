package dev.sqlitemetrics.testkit.internal.cli;

import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.core.StoreConfig;
import dev.sqlitemetrics.testkit.RecorderFactory;
import dev.sqlitemetrics.testkit.internal.ledger.Fault;
import dev.sqlitemetrics.testkit.internal.ledger.FaultCampaign;
import dev.sqlitemetrics.testkit.internal.powercut.PowerCutCampaign;
import dev.sqlitemetrics.testkit.internal.powercut.PowerCutMount;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Random;
import java.util.function.Consumer;

/** {@code --faults kill|server-restart|power-cut}: runs the campaign, prints its verdict, and maps it to the CLI's exit codes. */
final class FaultCampaignRun {
    private final CommandLine commandLine;
    private final Path out;

    FaultCampaignRun(CommandLine commandLine, Path out) {
        this.commandLine = commandLine;
        this.out = out;
    }

    int run(StoreConfig config, int jvms, int threads, int records, int rounds, Long seed, Consumer<String> progress,
            Fault fault)
            throws IOException {
        long campaignSeed = seed != null ? seed : new Random().nextLong();
        return report(campaignSeed, jvms, threads, records, () -> {
            FaultCampaign.Result result = new FaultCampaign(config, jvms, threads, records, campaignSeed, progress,
                    RecorderFactory.DEFAULT, fault).run(rounds);
            return new Verdict(result.toString(), result.passed());
        });
    }

    /** {@code --faults power-cut}: each round on a fresh mount in a folder under {@code workDir}. */
    int runPowerCut(SqliteConfig config, Path workDir, int jvms, int threads, int records, int rounds, Long seed,
                    Consumer<String> progress) throws IOException {
        PowerCutMount.unavailable().ifPresent(reason -> {
            throw new CommandLine.ParameterException(commandLine, "--faults power-cut cannot run here: " + reason);
        });
        long campaignSeed = seed != null ? seed : new Random().nextLong();
        return report(campaignSeed, jvms, threads, records, () -> {
            PowerCutCampaign.Result result = new PowerCutCampaign(config, workDir, jvms, threads, records, campaignSeed,
                    progress, RecorderFactory.DEFAULT).run(rounds);
            return new Verdict(result.toString(), result.passed());
        });
    }

    private record Verdict(String text, boolean passed) {
    }

    @FunctionalInterface
    private interface Campaign {
        Verdict run() throws IOException, InterruptedException, SQLException;
    }

    private int report(long campaignSeed, int jvms, int threads, int records, Campaign campaign) throws IOException {
        try {
            Verdict verdict = campaign.run();
            String text = "seed " + campaignSeed + ", " + jvms + " JVMs x " + threads + " threads x " + records
                    + " records per round\n" + verdict.text() + "\n";
            if (out != null) {
                Files.writeString(out, text, StandardCharsets.UTF_8);
            } else {
                PrintWriter stdout = commandLine.getOut();
                stdout.print(text);
                stdout.flush();
            }
            return verdict.passed() ? ContentionCommand.PASSED : ContentionCommand.VIOLATED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            commandLine.getErr().println("harness failure: interrupted");
            return ContentionCommand.HARNESS_FAILURE;
        } catch (IllegalArgumentException e) {
            // A setting the campaign cannot run with (rounds, a table that holds records): a usage error.
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        } catch (SQLException | IllegalStateException e) {
            commandLine.getErr().println("harness failure: " + e.getMessage());
            return ContentionCommand.HARNESS_FAILURE;
        }
    }
}
