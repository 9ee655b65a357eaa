package dev.sqlitemetrics.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The training run behind the launcher's class-data-sharing archive: every subcommand once, on a
 * scratch database, so that the archive the JVM writes at exit holds the classes each of them
 * loads. Run by the {@code sqlite-metrics} launcher as
 * {@code java -XX:ArchiveClassesAtExit=ARCHIVE -cp sqlite-metrics.jar dev.sqlitemetrics.cli.ClassDataTraining};
 * exits non-zero if any subcommand failed, and then the launcher keeps no archive.
 */
final class ClassDataTraining {
    private ClassDataTraining() {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        NativeLibraryCache.use(NativeLibraryCache.folder());
        Path scratch = Files.createTempDirectory("sqlite-metrics-training");
        try {
            String db = scratch.resolve("training.db").toString();
            int failed = 0;
            for (String[] command : new String[][] {
                    {"record", "--db", db, "training"},
                    {"record", "--db", db, "--task", "training", "--outcome", "FAILED", "--duration", "1.5s", "--attr", "k=v", "x"},
                    {"summary", "--db", db, "--format", "json"},
                    {"tail", "--db", db, "-n", "2"},
                    {"export", "--db", db, "--format", "csv", "--out", scratch.resolve("export.csv").toString()},
                    {"report", "--db", db, "--out", scratch.resolve("report.html").toString()},
                    {"prune", "--db", db, "--older-than", "30d", "--roll-up"},
                    {"forward", "--db", db, "--status"}}) {
                var line = MetricsCli.commandLine(command);
                line.setOut(new PrintWriter(new StringWriter()));
                StringWriter errors = new StringWriter();
                line.setErr(new PrintWriter(errors));
                if (line.execute(command) != ExitCodes.DONE) {
                    System.err.println("training run of " + command[0] + " failed: " + errors);
                    failed++;
                }
            }
            System.exit(failed == 0 ? 0 : 1);
        } finally {
            try (Stream<Path> files = Files.walk(scratch)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }
}
