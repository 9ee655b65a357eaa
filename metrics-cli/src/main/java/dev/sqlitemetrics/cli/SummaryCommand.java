package dev.sqlitemetrics.cli;

import dev.sqlitemetrics.core.CompletionFilter;
import dev.sqlitemetrics.core.GroupBy;
import dev.sqlitemetrics.core.MetricsException;
import dev.sqlitemetrics.core.MetricsReader;
import dev.sqlitemetrics.core.SummaryGroup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;

import java.time.Instant;
import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code summary}: counts, outcome shares and duration percentiles per group. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Counts, outcome shares and duration percentiles (p50, p95, p99, max) per task and outcome,"
                + " or per time bucket.")
final class SummaryCommand extends StoreCommand {

    @Mixin
    FilterOptions only = new FilterOptions();

    @Option(names = "--by", paramLabel = "WHAT", split = ",",
            description = "Group by task, outcome, minute, hour or day; repeat or separate with commas (default: task,outcome).")
    List<GroupBy> by = List.of(GroupBy.TASK, GroupBy.OUTCOME);

    @Option(names = "--with-rolled-up", description = "Count pruned completions too, from the per-day roll-ups that"
            + " prune --roll-up kept (a rolled-up day counts when it overlaps --since; group by task, outcome or day).")
    boolean withRolledUp;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text, json or csv (default: text).")
    String format = "text";

    @Override
    public Integer call() {
        if (!Set.of("text", "json", "csv").contains(format.toLowerCase(Locale.ROOT))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format must be text, json or csv, was " + format);
        }
        CompletionFilter filter = only.filter(Instant.now());
        try (MetricsReader reader = MetricsReader.open(store.config())) {
            Set<GroupBy> groupBy = by.isEmpty() ? Set.of() : EnumSet.copyOf(by);
            List<SummaryGroup> groups = withRolledUp ? reader.summarizeWithRolledUp(filter, groupBy)
                    : reader.summarize(filter, groupBy);
            PrintWriter out = spec.commandLine().getOut();
            out.print(switch (format.toLowerCase(Locale.ROOT)) {
                case "json" -> Render.summaryJson(groups);
                case "csv" -> Render.summaryCsv(groups);
                default -> Render.summaryText(groups, groupBy);
            });
            out.flush();
            return ExitCodes.DONE;
        } catch (MetricsException e) {
            spec.commandLine().getErr().println("summary failed: " + e.getMessage());
            return ExitCodes.FAILED;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
