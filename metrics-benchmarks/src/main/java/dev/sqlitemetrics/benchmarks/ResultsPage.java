package dev.sqlitemetrics.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders one run's figures as RESULTS.md: machine, command, raw figures, ratios to the ceilings, targets. */
final class ResultsPage {
    private final Map<String, BenchmarkSuite.Measured> results;
    private final List<String> bursts;
    private final String args;

    ResultsPage(Map<String, BenchmarkSuite.Measured> results, List<String> bursts, String args) {
        this.results = results;
        this.bursts = bursts;
        this.args = args;
    }

    String render() {
        StringBuilder md = new StringBuilder("# Benchmark results\n\n");
        md.append("Produced by `mvn -B -q package -DskipTests && java -jar metrics-benchmarks/target/benchmarks.jar")
                .append(args.isEmpty() ? "" : " " + args).append("` on ").append(LocalDate.now()).append(".\n\n");
        md.append("Machine: ").append(machine()).append(".\n\n");
        md.append("Absolute numbers drift from run to run; the ratios compare figures measured in the same run.\n\n");
        md.append("## JMH (operations per second, ± 99.9% error)\n\n| benchmark | ops/s | error | ratio |\n|---|---|---|---|\n");
        for (Map.Entry<String, BenchmarkSuite.Measured> entry : results.entrySet()) {
            md.append(String.format(Locale.ROOT, "| %s | %,.0f | %s | %s |%n", entry.getKey(), entry.getValue().score(),
                    entry.getKey().endsWith(" failed") ? "" : String.format(Locale.ROOT, "± %,.0f", entry.getValue().error()),
                    ratio(entry.getKey())));
        }
        md.append("\nRatios: `record`/`naive` rows against `raw commit` of the same synchronous level (FULL for naive),"
                + " `recordAsync` rows against `raw batch` of the same level. `raw batch`: 10,240 rows in one"
                + " transaction, 32 rows per INSERT statement, as the recorder's writer sends them.\n\n## Targets\n\n| target | measured | verdict |\n|---|---|---|\n");
        double record64 = score("record FULL 64") / score("raw commit FULL");
        md.append(String.format(Locale.ROOT, "| record() from 64 threads, FULL: at least 10x raw commit-per-row FULL | %.1fx | %s |%n",
                record64, record64 >= 10 ? "met" : "NOT met"));
        double async = Math.max(score("recordAsync FULL 1"), score("recordAsync FULL 4")) / score("raw batch FULL");
        md.append(String.format(Locale.ROOT, "| recordAsync(), FULL: at least 50%% of the raw batch ceiling FULL | %.0f%% | %s |%n",
                async * 100, async >= 0.5 ? "met" : "NOT met"));
        md.append("\n## Bursts (testkit contention runner, default config: WAL + FULL)\n\n"
                + "| scenario | drain | lost / acknowledged | p99 | throughput | target |\n|---|---|---|---|---|---|\n");
        bursts.forEach(row -> md.append(row).append('\n'));
        return md.toString();
    }

    private String ratio(String name) {
        String[] parts = name.split(" ");
        if (name.endsWith(" failed")) {
            return "calls per measurement iteration that failed with database is locked (the row above counts calls)";
        }
        if (name.startsWith("record ") || name.startsWith("naive")) {
            String sync = name.startsWith("naive") ? "FULL" : parts[1];
            return String.format(Locale.ROOT, "%.1fx raw commit %s", score(name) / score("raw commit " + sync), sync);
        }
        if (name.startsWith("recordAsync")) {
            return String.format(Locale.ROOT, "%.0f%% of raw batch %s", 100 * score(name) / score("raw batch " + parts[1]), parts[1]);
        }
        return "";
    }

    private double score(String name) {
        BenchmarkSuite.Measured measured = results.get(name);
        return measured == null ? Double.NaN : measured.score();
    }

    private static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
                    .findFirst().map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException e) {
            // Not Linux: the CPU name is only informative.
        }
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() >> 30;
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + memory + " GiB, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java "
                + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")";
    }
}
