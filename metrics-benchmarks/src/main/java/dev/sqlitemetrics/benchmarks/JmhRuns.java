package dev.sqlitemetrics.benchmarks;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Runs single JMH benchmarks, one forked JVM each, and keeps their scores by name in run order. */
final class JmhRuns {
    private final boolean quick;
    private final Map<String, Measured> results = new LinkedHashMap<>();

    /** A score with its error, in operations per second. */
    record Measured(double score, double error) {
    }

    JmhRuns(boolean quick) {
        this.quick = quick;
    }

    Map<String, Measured> results() {
        return results;
    }

    /**
     * Runs {@code benchmark} ({@code Class.method}) on {@code threads} threads, with the {@code synchronous}
     * parameter when not null and extra options for the forked JVM, and keeps its score as {@code name}.
     */
    void run(String name, String benchmark, int threads, String synchronous, String... jvmArgs) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("dev\\.sqlitemetrics\\.benchmarks\\." + benchmark.replace(".", "\\.") + "$")
                .threads(threads)
                .forks(1)
                .warmupIterations(quick ? 1 : 2)
                .warmupTime(TimeValue.seconds(quick ? 1 : 2))
                .measurementIterations(quick ? 2 : 3)
                .measurementTime(TimeValue.seconds(quick ? 2 : 3))
                .jvmArgsAppend(jvmOptions(jvmArgs))
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

    /** JMH keeps only the last list given to {@code jvmArgsAppend}: the defaults and the extras in one. */
    private static String[] jvmOptions(String... extra) {
        List<String> all = new ArrayList<>(List.of("-Xmx2g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        all.addAll(List.of(extra));
        return all.toArray(String[]::new);
    }

    /** The score kept as {@code name}, or NaN when it was not run. */
    double score(String name) {
        Measured measured = results.get(name);
        return measured == null ? Double.NaN : measured.score();
    }
}
