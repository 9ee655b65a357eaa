package dev.sqlitemetrics.cli;

import dev.sqlitemetrics.core.CompletionFilter;
import dev.sqlitemetrics.core.MetricsException;
import dev.sqlitemetrics.core.MetricsReader;
import dev.sqlitemetrics.core.StoredCompletion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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

    @Override
    public Integer call() throws InterruptedException {
        if (count < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "-n must be at least 1, was " + count);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (MetricsReader reader = MetricsReader.open(store.config())) {
            List<StoredCompletion> latest = new ArrayList<>(reader.latest(CompletionFilter.ALL, count));
            Collections.reverse(latest);
            latest.forEach(row -> out.println(Render.rowText(row)));
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
                try (var rows = reader.completions(CompletionFilter.ALL.from(from))) {
                    fresh = rows.filter(row -> !printed.contains(key(row))).toList();
                }
                for (StoredCompletion row : fresh) {
                    out.println(Render.rowText(row));
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
