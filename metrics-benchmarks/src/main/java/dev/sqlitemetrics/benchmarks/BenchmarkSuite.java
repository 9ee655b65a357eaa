package dev.sqlitemetrics.benchmarks;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs every JMH benchmark and the burst scenarios in one go and writes RESULTS.md, with each
 * figure as a ratio to the raw ceilings measured in the same run.
 *
 * <p>Usage: {@code java -jar metrics-benchmarks/target/benchmarks.jar [--quick] [--bursts-only] [--out FILE]}.
 * Plain JMH options work too: {@code java -cp metrics-benchmarks/target/benchmarks.jar org.openjdk.jmh.Main -h}.
 */
public final class BenchmarkSuite {
    private final boolean quick;
    private final Map<String, Measured> results = new LinkedHashMap<>();

    /** A score with its error, in operations per second. */
    record Measured(double score, double error) {
    }

    private BenchmarkSuite(boolean quick) {
        this.quick = quick;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        int out = List.of(args).indexOf("--out");
        Path file = Path.of(out >= 0 ? args[out + 1] : "metrics-benchmarks/RESULTS.md");
        BenchmarkSuite suite = new BenchmarkSuite(quick);
        if (!List.of(args).contains("--bursts-only")) {
            suite.runJmh();
        }
        List<String> bursts = BurstScenarios.run(quick);
        String markdown = new ResultsPage(suite.results, bursts, String.join(" ", args)).render();
        Files.writeString(file, markdown, StandardCharsets.UTF_8);
        System.out.println(markdown);
        System.out.println("written to " + file.toAbsolutePath());
    }

    private void runJmh() throws RunnerException {
        for (String sync : new String[] {"FULL", "NORMAL"}) {
            jmh("raw batch " + sync, "RawSqliteBenchmark.batchInOneTransaction", 1, sync);
            jmh("raw commit " + sync, "RawSqliteBenchmark.commitPerRow", 1, sync);
        }
        for (int threads : new int[] {1, 8, 64}) {
            jmh("naive " + threads, "NaiveWriterBenchmark.insertRow", threads, null);
        }
        for (String sync : new String[] {"FULL", "NORMAL"}) {
            for (int threads : new int[] {1, 8, 64, 256}) {
                jmh("record " + sync + " " + threads, "RecordBenchmark.record", threads, sync);
            }
            for (int threads : new int[] {1, 4}) {
                jmh("recordAsync " + sync + " " + threads, "RecordBenchmark.recordAsync", threads, sync);
            }
        }
    }

    private void jmh(String name, String benchmark, int threads, String synchronous) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("dev\\.sqlitemetrics\\.benchmarks\\." + benchmark.replace(".", "\\.") + "$")
                .threads(threads)
                .forks(1)
                .warmupIterations(quick ? 1 : 2)
                .warmupTime(TimeValue.seconds(quick ? 1 : 2))
                .measurementIterations(quick ? 2 : 3)
                .measurementTime(TimeValue.seconds(quick ? 2 : 3))
                .jvmArgsAppend("-Xmx2g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
                .shouldFailOnError(true);
        if (synchronous != null) {
            options.param("synchronous", synchronous);
        }
        List<RunResult> runs = new ArrayList<>(new Runner(options.build()).run());
        if (runs.size() != 1) {
            throw new IllegalStateException(name + ": expected one result, got " + runs.size());
        }
        var result = runs.get(0).getPrimaryResult();
        double error = Double.isNaN(result.getScoreError()) ? 0 : result.getScoreError();
        results.put(name, new Measured(result.getScore(), error));
        // The naive writer's "database is locked" failures, per measurement iteration.
        var failed = runs.get(0).getSecondaryResults().get("failed");
        if (failed != null) {
            results.put(name + " failed", new Measured(failed.getScore(), 0));
        }
        System.out.printf(Locale.ROOT, "%-28s %12.0f ± %.0f ops/s%n", name, result.getScore(), error);
    }
}
