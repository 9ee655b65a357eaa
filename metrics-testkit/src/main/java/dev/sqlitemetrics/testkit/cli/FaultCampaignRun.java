package dev.sqlitemetrics.testkit.cli;

import dev.sqlitemetrics.core.StoreConfig;
import dev.sqlitemetrics.testkit.RecorderFactory;
import dev.sqlitemetrics.testkit.ledger.Fault;
import dev.sqlitemetrics.testkit.ledger.FaultCampaign;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Random;
import java.util.function.Consumer;

/** {@code --faults kill} and {@code --faults server-restart}: runs the campaign, prints its verdict, and maps it to the CLI's exit codes. */
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
        try {
            FaultCampaign.Result result = new FaultCampaign(config, jvms, threads, records, campaignSeed, progress,
                    RecorderFactory.DEFAULT, fault).run(rounds);
            String text = "seed " + campaignSeed + ", " + jvms + " JVMs x " + threads + " threads x " + records
                    + " records per round\n" + result + "\n";
            if (out != null) {
                Files.writeString(out, text, StandardCharsets.UTF_8);
            } else {
                PrintWriter stdout = commandLine.getOut();
                stdout.print(text);
                stdout.flush();
            }
            return result.passed() ? ContentionCommand.PASSED : ContentionCommand.VIOLATED;
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
