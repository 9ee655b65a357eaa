package dev.sqlitemetrics.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The wall time of one {@code sqlite-metrics record}, the way a shell script pays it: through the
 * launcher (with its class-data archive made on the first call), as a plain {@code java -jar}, and
 * the {@code sqlite3} shell's INSERT into the same file for comparison; the three interleaved, each
 * a fresh process. Needs {@code metrics-cli/target/sqlite-metrics} (the package phase makes it) and
 * {@code sqlite3} on the PATH; rows say so when either is missing. Returns markdown rows.
 */
final class RecordCommandTiming {
    static final Path LAUNCHER = Path.of("metrics-cli", "target", "sqlite-metrics");

    private RecordCommandTiming() {
    }

    static List<String> run(boolean quick) throws Exception {
        if (!Files.isExecutable(LAUNCHER)) {
            return List.of("| `sqlite-metrics record` wall time | not measured: " + LAUNCHER + " is missing (mvn package makes it) | |");
        }
        int runs = quick ? 11 : 31;
        Path dir = Files.createTempDirectory("sqlite-metrics-record-timing");
        try {
            Path db = dir.resolve("timing.db");
            Path cache = dir.resolve("cache");
            List<String> launcher = List.of(LAUNCHER.toAbsolutePath().toString(), "record", "--db", db.toString(),
                    "--task", "timing", "--duration", "1.5s", "a record");
            List<String> plainJar = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                    LAUNCHER.resolveSibling("sqlite-metrics.jar").toAbsolutePath().toString(), "record", "--db", db.toString(),
                    "--task", "timing", "--duration", "1.5s", "a record");
            List<String> shell = List.of("sqlite3", db.toString(),
                    "INSERT INTO messages (msg, task, outcome, duration_ms) VALUES ('a record', 'timing', 'SUCCEEDED', 1500)");
            double first = millis(launcher, cache);
            double[] viaLauncher = new double[runs];
            double[] viaJar = new double[runs];
            double[] viaShell = new double[runs];
            boolean shellThere = true;
            for (int i = 0; i < runs; i++) {
                viaLauncher[i] = millis(launcher, cache);
                viaJar[i] = millis(plainJar, cache);
                if (shellThere) {
                    try {
                        viaShell[i] = millis(shell, cache);
                    } catch (IOException e) {
                        shellThere = false;
                    }
                }
            }
            List<String> rows = new ArrayList<>();
            double launcherMedian = median(viaLauncher);
            rows.add(String.format(Locale.ROOT, "| `sqlite-metrics record` through the launcher (class-data archive), median of %d"
                    + " fresh processes | %.0f ms (p90 %.0f ms)%s | stated |", runs, launcherMedian, percentile(viaLauncher, 0.9),
                    shellThere ? String.format(Locale.ROOT, "; %.0fx `sqlite3`", launcherMedian / median(viaShell)) : ""));
            rows.add(String.format(Locale.ROOT, "| the same, the first call for a new jar or JVM (makes the archive) | %.0f ms | stated |", first));
            rows.add(String.format(Locale.ROOT, "| `java -jar sqlite-metrics.jar record` (default JVM options), median of %d | %.0f ms | stated |",
                    runs, median(viaJar)));
            rows.add(shellThere
                    ? String.format(Locale.ROOT, "| `sqlite3 FILE \"INSERT ...\"` into the same file, median of %d | %.1f ms | stated |", runs, median(viaShell))
                    : "| `sqlite3 FILE \"INSERT ...\"` | not measured: no sqlite3 on the PATH | |");
            return rows;
        } finally {
            Folders.deleteTree(dir);
        }
    }

    /** Runs {@code command} to its end; its wall time. A failed command fails the benchmark. */
    private static double millis(List<String> command, Path cache) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("SQLITE_METRICS_CACHE", cache.toString());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " took over 120 s");
        }
        double took = (System.nanoTime() - start) / 1e6;
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue());
        }
        return took;
    }

    private static double median(double[] values) {
        return percentile(values, 0.5);
    }

    private static double percentile(double[] values, double fraction) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
    }
}
