package dev.sqlitemetrics.cli;

import dev.sqlitemetrics.core.CompletionFilter;
import dev.sqlitemetrics.core.MetricsException;
import dev.sqlitemetrics.core.MetricsReader;
import dev.sqlitemetrics.core.StoredCompletion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;

import java.time.Instant;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** {@code export}: completions as CSV, JSON or NDJSON, streamed (a table of any size). */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Writes completions, oldest first, as csv, json (one array) or ndjson (one object per line),"
                + " streamed from the database.")
final class ExportCommand extends StoreCommand {

    @Mixin
    FilterOptions only = new FilterOptions();

    @Option(names = "--format", paramLabel = "FORMAT", required = true, description = "csv, json or ndjson.")
    String format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write here instead of standard output.")
    Path out;

    @Option(names = "--quiet", description = "No progress line (there is one on a terminal while --out is written).")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        if (out != null) {
            checkOutput(out);
        }
        String kind = format.toLowerCase(Locale.ROOT);
        if (!Set.of("csv", "json", "ndjson").contains(kind)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format must be csv, json or ndjson, was " + format);
        }
        CompletionFilter filter = only.filter(Instant.now());
        try (MetricsReader reader = MetricsReader.open(store.config());
             Stream<StoredCompletion> rows = reader.completions(filter);
             Writer writer = out != null ? Files.newBufferedWriter(out, StandardCharsets.UTF_8)
                     : new java.io.FilterWriter(spec.commandLine().getOut()) {
                         @Override
                         public void close() {
                             // Standard output stays open for whoever prints next.
                             flush();
                         }

                         @Override
                         public void flush() {
                             spec.commandLine().getOut().flush();
                         }
                     }) {
            // Counted first: a progress line says how much is left (only when writing to a file from a terminal).
            boolean shown = out != null && Progress.wanted(quiet);
            Progress progress = new Progress(spec.commandLine().getErr(), shown, "export", !shown ? 0
                    : reader.summarize(filter, Set.of()).stream().mapToLong(group -> group.count()).sum());
            write(kind, rows.iterator(), writer, progress);
            progress.finish();
            return ExitCodes.DONE;
        } catch (MetricsException e) {
            spec.commandLine().getErr().println("export failed: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }

    private static void write(String kind, Iterator<StoredCompletion> rows, Writer writer, Progress progress)
            throws IOException {
        if (kind.equals("csv")) {
            writer.write(String.join(",", Render.ROW_COLUMNS) + "\n");
        } else if (kind.equals("json")) {
            writer.write("[");
        }
        boolean first = true;
        while (rows.hasNext()) {
            StoredCompletion row = rows.next();
            switch (kind) {
                case "csv" -> writer.write(Render.rowCsv(row));
                case "ndjson" -> writer.write(Render.rowJson(row) + "\n");
                default -> writer.write((first ? "\n" : ",\n") + Render.rowJson(row));
            }
            first = false;
            progress.advance(1);
        }
        if (kind.equals("json")) {
            writer.write(first ? "]\n" : "\n]\n");
        }
        writer.flush();
    }
}
