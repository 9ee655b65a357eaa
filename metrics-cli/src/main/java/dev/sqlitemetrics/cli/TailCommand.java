package dev.sqlitemetrics.cli;

import dev.sqlitemetrics.core.CompletionFilter;
import dev.sqlitemetrics.core.MetricsException;
import dev.sqlitemetrics.core.MetricsReader;
import dev.sqlitemetrics.core.StoredCompletion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** {@code tail}: the latest completions, and with {@code --follow} the new ones as they come. */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = "Prints the latest completions, oldest of them first; --follow then prints new ones as they are recorded.")
final class TailCommand extends StoreCommand {
    /** How often --follow looks for new rows. */
    static final long FOLLOW_INTERVAL_MS = 500;

    @Option(names = "-n", paramLabel = "N", description = "How many (default: 20).")
    int count = 20;

    @Option(names = "--follow", description = "Keep printing new completions until interrupted.")
    boolean follow;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text, or json: one JSON object per line (default: text).")
    String format = "text";

    @Mixin
    FilterOptions only = new FilterOptions();

    @Override
    public Integer call() throws InterruptedException {
        if (count < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "-n must be at least 1, was " + count);
        }
        if (!format.equalsIgnoreCase("text") && !format.equalsIgnoreCase("json")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format must be text or json, was " + format);
        }
        boolean json = format.equalsIgnoreCase("json");
        PrintWriter out = spec.commandLine().getOut();
        CompletionFilter filter = only.filter(Instant.now());
        try (MetricsReader reader = MetricsReader.open(store.config())) {
            List<StoredCompletion> latest = new ArrayList<>(reader.latest(filter, count));
            Collections.reverse(latest);
            // The task column as wide as the widest task shown first; later ones keep it where they fit.
            int taskColumns = Math.max(8, latest.stream().mapToInt(row -> TextTable.width(String.valueOf(row.task())))
                    .max().orElse(8));
            latest.forEach(row -> out.println(json ? Render.rowJson(row) : Render.rowText(row, taskColumns)));
            out.flush();
            if (!follow) {
                return ExitCodes.DONE;
            }
            // Rows are found again from the newest timestamp printed (inclusive, since several rows may
            // share one); those already printed are recognised by id, or for rows without one by content.
            Instant from = latest.isEmpty() ? Instant.EPOCH : latest.get(latest.size() - 1).timestamp();
            Set<Object> printed = new HashSet<>();
            latest.forEach(row -> printed.add(key(row)));
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(FOLLOW_INTERVAL_MS);
                List<StoredCompletion> fresh;
                try (var rows = reader.completions(filter.from(from))) {
                    fresh = rows.filter(row -> !printed.contains(key(row))).toList();
                }
                for (StoredCompletion row : fresh) {
                    out.println(json ? Render.rowJson(row) : Render.rowText(row, taskColumns));
                    printed.add(key(row));
                    if (row.timestamp() != null && row.timestamp().isAfter(from)) {
                        from = row.timestamp();
                        printed.removeIf(key -> key instanceof Seen seen && seen.time().isBefore(row.timestamp()));
                    }
                }
                out.flush();
            }
            return ExitCodes.DONE;
        } catch (MetricsException e) {
            spec.commandLine().getErr().println("tail failed: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }

    private record Seen(Instant time, UUID id, String message) {
    }

    private static Object key(StoredCompletion row) {
        return new Seen(row.timestamp() == null ? Instant.EPOCH : row.timestamp(), row.id(), row.message());
    }
}
