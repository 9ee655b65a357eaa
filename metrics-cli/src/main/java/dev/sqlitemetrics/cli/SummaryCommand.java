package dev.sqlitemetrics.cli;

import dev.sqlitemetrics.testkit.internal.cli.DurationConverter;
import dev.sqlitemetrics.core.CompletionFilter;
import dev.sqlitemetrics.core.GroupBy;
import dev.sqlitemetrics.core.MetricsException;
import dev.sqlitemetrics.core.MetricsReader;
import dev.sqlitemetrics.core.SummaryGroup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code summary}: counts, outcome shares and duration percentiles per group. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Counts, outcome shares and duration percentiles (p50, p95, p99, max) per task and outcome,"
                + " or per time bucket.")
final class SummaryCommand extends StoreCommand {

    @Option(names = "--since", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Only completions of the last DURATION, e.g. 24h, 7d (default: all).")
    Duration since;

    @Option(names = "--task", paramLabel = "T", description = "Only this task.")
    String task;

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
        CompletionFilter filter = (since == null ? CompletionFilter.ALL : CompletionFilter.since(since)).task(task);
        try (MetricsReader reader = MetricsReader.open(store.config())) {
            Set<GroupBy> groupBy = by.isEmpty() ? Set.of() : EnumSet.copyOf(by);
            List<SummaryGroup> groups = withRolledUp ? reader.summarizeWithRolledUp(filter, groupBy)
                    : reader.summarize(filter, groupBy);
            PrintWriter out = spec.commandLine().getOut();
            out.print(switch (format.toLowerCase(Locale.ROOT)) {
                case "json" -> Render.summaryJson(groups);
                case "csv" -> Render.summaryCsv(groups);
                default -> Render.summaryText(groups);
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
