package dev.sqlitemetrics.cli;

import dev.sqlitemetrics.testkit.internal.cli.DurationConverter;
import dev.sqlitemetrics.core.HeldBack;
import dev.sqlitemetrics.core.MetricsException;
import dev.sqlitemetrics.core.MetricsRetention;
import dev.sqlitemetrics.core.PruneResult;
import dev.sqlitemetrics.core.Setting;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;

/** {@code prune}: deletes old completions in small transactions, beside live recorders. */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = {"Deletes completions older than --older-than, in small transactions that live recorders wait"
                + " for only briefly.",
                "With --roll-up they are first folded into the per-day summary table <table>_daily (counts and"
                        + " duration histograms per day, task and outcome)."})
final class PruneCommand extends StoreCommand {

    @Option(names = "--older-than", paramLabel = "DURATION", required = true, converter = DurationConverter.class,
            description = "Age of the oldest completion to keep, e.g. 30d.")
    Duration olderThan;

    @Option(names = "--roll-up", description = "Fold them into the per-day summary table first.")
    boolean rollUp;

    @Option(names = "--dry-run", description = "Only count what would be deleted.")
    boolean dryRun;

    @Option(names = "--quiet", description = "No progress line (there is one on a terminal).")
    boolean quiet;

    @Override
    public Integer call() {
        if (olderThan.isNegative()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--older-than must not be negative, was " + olderThan);
        }
        Instant before = Instant.now().minus(olderThan);
        PrintWriter out = spec.commandLine().getOut();
        try (MetricsRetention retention = MetricsRetention.open(store.config())) {
            if (dryRun) {
                out.println(retention.countBefore(before) + " completions older than " + before + " would be deleted"
                        + (rollUp ? " (and rolled up)" : ""));
            } else {
                // Counting first costs a pass over the old rows: only for a progress line someone sees.
                Progress progress = Progress.wanted(quiet)
                        ? Progress.onTerminal(spec.commandLine().getErr(), quiet, "prune", retention.countBefore(before))
                        : new Progress(spec.commandLine().getErr(), false, "prune", 0);
                PruneResult result = retention.prune(before, rollUp, progress::advance);
                progress.finish();
                out.println("deleted " + result.deleted() + " completions older than " + before
                        + (rollUp ? ", rolled up " + result.rolledUp() : "") + ", in " + result.batches()
                        + " transactions, the longest " + result.longestBatch().toMillis() + " ms");
                for (HeldBack held : result.heldBack()) {
                    out.println("kept " + held.rows() + " older completions not yet shipped to " + held.target()
                            + " (last shipped: " + (held.lastShipped() == null ? "never" : held.lastShipped()) + ");"
                            + " if that server will never take them, run: sqlite-metrics forward --db "
                            + store.value(Setting.DB) + " --forget '" + held.target() + "'");
                }
            }
            out.flush();
            return ExitCodes.DONE;
        } catch (MetricsException e) {
            spec.commandLine().getErr().println("prune failed: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }
}
