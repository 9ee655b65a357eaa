package dev.sqlitemetrics.cli;

import dev.sqlitemetrics.testkit.internal.cli.DurationConverter;
import dev.sqlitemetrics.cli.report.Dashboard;
import dev.sqlitemetrics.cli.report.DashboardPage;
import dev.sqlitemetrics.core.CompletionFilter;
import dev.sqlitemetrics.core.GroupBy;
import dev.sqlitemetrics.core.MetricsException;
import dev.sqlitemetrics.core.MetricsReader;
import dev.sqlitemetrics.core.StoreConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Locale;

/** {@code report}: a self-contained HTML dashboard of one time window. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Writes a self-contained HTML dashboard (inline SVG, no scripts, nothing loaded from elsewhere):"
                + " completions over time per task, the outcome mix, duration percentile bands over time, the slowest"
                + " completions and the latest failures.",
                "Recorded text is shown as text: markup in a message, task or attribute is never run."})
final class ReportCommand extends StoreCommand {
    /** More bars than this would be thinner than a pixel. */
    static final int MAX_BUCKETS = 2_000;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "The HTML file to write.")
    Path out;

    @Option(names = "--since", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "The window: the last DURATION, e.g. 24h, 30d (default: 7d).")
    Duration since = Duration.ofDays(7);

    @Option(names = "--task", paramLabel = "T", description = "Only this task.")
    String task;

    @Option(names = "--bucket", paramLabel = "UNIT",
            description = "Bar width: minute, hour or day (default: minutes up to 6h, hours up to 14d, days beyond).")
    GroupBy bucket;

    @Option(names = "--rows", paramLabel = "N", description = "Rows in the slowest and failed tables (default: 20).")
    int rows = 20;

    @Override
    public Integer call() throws IOException {
        checkOutput(out);
        if (since.isNegative() || since.isZero()) {
            throw usage("--since must be positive, was " + since);
        }
        if (rows < 1) {
            throw usage("--rows must be at least 1, was " + rows);
        }
        GroupBy unit = bucket != null ? bucket : Dashboard.bucketFor(since);
        if (!EnumSet.of(GroupBy.MINUTE, GroupBy.HOUR, GroupBy.DAY).contains(unit)) {
            throw usage("--bucket must be minute, hour or day, was " + unit.name().toLowerCase(Locale.ROOT));
        }
        ChronoUnit chrono = switch (unit) {
            case MINUTE -> ChronoUnit.MINUTES;
            case HOUR -> ChronoUnit.HOURS;
            default -> ChronoUnit.DAYS;
        };
        long buckets = since.dividedBy(chrono.getDuration()) + 1;
        if (buckets > MAX_BUCKETS) {
            throw usage("--bucket " + unit.name().toLowerCase(Locale.ROOT) + " over --since " + dev.sqlitemetrics.core.Durations.format(since)
                    + " makes " + buckets + " bars, at most " + MAX_BUCKETS + ": choose a wider bucket or a shorter window");
        }
        StoreConfig config = store.config();
        Instant until = Instant.now();
        CompletionFilter window = CompletionFilter.ALL.from(until.minus(since)).until(until).task(task);
        try (MetricsReader reader = MetricsReader.open(config)) {
            Dashboard dashboard = Dashboard.read(reader, config.database(), window, unit, rows);
            Files.writeString(out, DashboardPage.render(dashboard), StandardCharsets.UTF_8);
            long completions = dashboard.perTaskAndOutcome().stream().mapToLong(group -> group.count()).sum();
            spec.commandLine().getOut().println("wrote " + out + ": " + completions + " completions of the last "
                    + dev.sqlitemetrics.core.Durations.format(since) + " per " + unit.name().toLowerCase(Locale.ROOT));
            spec.commandLine().getOut().flush();
            return ExitCodes.DONE;
        } catch (MetricsException e) {
            spec.commandLine().getErr().println("report failed: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
