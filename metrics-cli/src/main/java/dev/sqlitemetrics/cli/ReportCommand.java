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
        StoreConfig config = store.config();
        Instant until = Instant.now();
        CompletionFilter window = CompletionFilter.ALL.from(until.minus(since)).until(until).task(task);
        try (MetricsReader reader = MetricsReader.open(config)) {
            // The time axis fits the data inside the window: records of the last minutes fill the
            // chart instead of a sliver at the right edge of a week.
            Instant earliest;
            try (var found = reader.completions(window)) {
                earliest = found.findFirst().map(row -> row.timestamp()).orElse(null);
            }
            Instant latest = reader.latest(window, 1).stream().map(row -> row.timestamp()).filter(java.util.Objects::nonNull)
                    .findFirst().orElse(null);
            if (earliest != null && earliest.isAfter(window.from())) {
                window = window.from(earliest);
            }
            if (latest != null && latest.plusMillis(1).isBefore(window.until())) {
                window = window.until(latest.plusMillis(1));
            }
            return write(reader, config, window, Duration.between(window.from(), window.until()));
        } catch (MetricsException e) {
            spec.commandLine().getErr().println("report failed: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }

    private int write(MetricsReader reader, StoreConfig config, CompletionFilter window, Duration shown) throws IOException {
        GroupBy unit = bucket != null ? bucket : Dashboard.bucketFor(shown);
        if (!EnumSet.of(GroupBy.MINUTE, GroupBy.HOUR, GroupBy.DAY).contains(unit)) {
            throw usage("--bucket must be minute, hour or day, was " + unit.name().toLowerCase(Locale.ROOT));
        }
        ChronoUnit chrono = switch (unit) {
            case MINUTE -> ChronoUnit.MINUTES;
            case HOUR -> ChronoUnit.HOURS;
            default -> ChronoUnit.DAYS;
        };
        // An explicit bucket is checked against the window asked for, whatever the data fill of it; the
        // bucket chosen here fits the data's stretch of it.
        long buckets = (bucket != null ? since : shown).dividedBy(chrono.getDuration()) + 1;
        if (buckets > MAX_BUCKETS) {
            throw usage("--bucket " + unit.name().toLowerCase(Locale.ROOT) + " over --since " + dev.sqlitemetrics.core.Durations.format(since)
                    + " makes " + buckets + " bars, at most " + MAX_BUCKETS + ": choose a wider bucket or a shorter window");
        }
        Dashboard dashboard = Dashboard.read(reader, config.database(), window, unit, rows);
        Files.writeString(out, DashboardPage.render(dashboard), StandardCharsets.UTF_8);
        long completions = dashboard.perTaskAndOutcome().stream().mapToLong(group -> group.count()).sum();
        spec.commandLine().getOut().println("wrote " + out + ": " + completions + " completions of the last "
                + dev.sqlitemetrics.core.Durations.format(since) + " per " + unit.name().toLowerCase(Locale.ROOT));
        spec.commandLine().getOut().flush();
        return ExitCodes.DONE;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
