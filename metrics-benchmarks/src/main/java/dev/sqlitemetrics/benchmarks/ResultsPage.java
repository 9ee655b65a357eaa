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
    private final JmhRuns sqlite;
    private final List<String> bursts;
    private final List<String> readSide;
    private final JmhRuns postgres;
    private final List<String> postgresBursts;
    private final List<String> forwarding;
    private final String server;
    private final String args;
    private final List<String> rates;

    /** {@code server} describes the PostgreSQL server, or is null when that part did not run. */
    ResultsPage(JmhRuns sqlite, List<String> bursts, List<String> readSide, JmhRuns postgres, List<String> postgresBursts,
                List<String> forwarding, String server, String args, List<String> rates) {
        this.rates = rates;
        this.sqlite = sqlite;
        this.bursts = bursts;
        this.readSide = readSide;
        this.postgres = postgres;
        this.postgresBursts = postgresBursts;
        this.forwarding = forwarding;
        this.server = server;
        this.args = args;
    }

    String render() {
        StringBuilder md = new StringBuilder("# Benchmark results\n\n");
        md.append("Produced by `mvn -B -q package -DskipTests && java -jar metrics-benchmarks/target/benchmarks.jar")
                .append(args.isEmpty() ? "" : " " + args).append("` on ").append(LocalDate.now()).append(".\n\n");
        md.append("Machine: ").append(machine()).append(".\n\n");
        md.append("Absolute numbers drift from run to run; the ratios compare figures measured in the same run.\n\n");
        if (!sqlite.results().isEmpty() || !bursts.isEmpty()) {
            renderSqlite(md);
        }
        if (!readSide.isEmpty()) {
            md.append("\n## Read side (SQLite, default config)\n\n| scenario | measured | target |\n|---|---|---|\n");
            readSide.forEach(row -> md.append(row).append('\n'));
        }
        if (server != null) {
            renderPostgres(md);
        }
        if (!rates.isEmpty()) {
            md.append("\n## What a user sees: record() against the store's own commit-per-row rate\n\n")
                    .append("Each pair: the raw side, then the recorder, for the same time on fresh tables, alternating;"
                            + " records (rows) committed per second, then the range of the pairs' ratios.\n\n")
                    .append("| threads | raw per pair | recorder per pair | recorder / raw |\n|---|---|---|---|\n");
            rates.forEach(row -> md.append(row).append('\n'));
        }
        return md.toString();
    }

    private void renderSqlite(StringBuilder md) {
        md.append("## SQLite\n\n### JMH (operations per second, ± 99.9% error)\n\n");
        table(md, sqlite, this::sqliteRatio);
        md.append("\nRatios: `record`/`naive` rows against `raw commit` of the same synchronous level (FULL for naive),"
                + " `recordAsync` rows against `raw batch` of the same level. `raw batch`: 10,240 rows in one"
                + " transaction, 32 rows per INSERT statement, as the recorder's writer sends them.\n\n### Targets\n\n"
                + "| target | measured | verdict |\n|---|---|---|\n");
        if (!sqlite.results().isEmpty()) {
            double record64 = sqlite.score("record FULL 64") / sqlite.score("raw commit FULL");
            md.append(String.format(Locale.ROOT, "| record() from 64 threads, FULL: at least 10x raw commit-per-row FULL | %.1fx | %s |%n",
                    record64, verdict(record64 >= 10)));
            double async = Math.max(sqlite.score("recordAsync FULL 1"), sqlite.score("recordAsync FULL 4")) / sqlite.score("raw batch FULL");
            md.append(String.format(Locale.ROOT, "| recordAsync(), FULL: at least 50%% of the raw batch ceiling FULL | %.0f%% | %s |%n",
                    async * 100, verdict(async >= 0.5)));
        }
        md.append("\n### Bursts (testkit contention runner, default config: WAL + FULL)\n\n"
                + "| scenario | drain | lost / acknowledged | p99 | throughput | target |\n|---|---|---|---|---|---|\n");
        bursts.forEach(row -> md.append(row).append('\n'));
    }

    private void renderPostgres(StringBuilder md) {
        md.append("\n## PostgreSQL\n\nServer: ").append(server).append(".\n\n");
        if (!postgres.results().isEmpty()) {
            md.append("### JMH (operations per second, ± 99.9% error)\n\n");
            table(md, postgres, this::postgresRatio);
            md.append("\n`pg raw commit N`: N JDBC clients, each with its own connection, one autocommit INSERT of the"
                    + " recorder's row shape per operation (the server's commit-per-row rate, as pgbench measures it)."
                    + " `pg record N`: one recorder shared by N threads, default settings.\n\n### Targets\n\n"
                    + "| target | measured | verdict |\n|---|---|---|\n");
            double record64 = postgres.score("pg record 64") / postgres.score("pg raw commit 64");
            md.append(String.format(Locale.ROOT, "| record() from 64 threads: at least 5x raw commit-per-row from 64 clients | %.1fx | %s |%n",
                    record64, verdict(record64 >= 5)));
        }
        if (!postgresBursts.isEmpty()) {
            md.append("\n### 500 simultaneous writers (testkit contention runner)\n\n"
                    + "| writer | failed | failures by outcome:code | lost | drain |\n|---|---|---|---|---|\n");
            postgresBursts.forEach(row -> md.append(row).append('\n'));
        }
        if (!forwarding.isEmpty()) {
            md.append("\n### Forwarding a local backlog (SQLite to this server, default forwarder settings)\n\n"
                    + "| scenario | measured | target |\n|---|---|---|\n");
            forwarding.forEach(row -> md.append(row).append('\n'));
        }
    }

    private static void table(StringBuilder md, JmhRuns runs, java.util.function.Function<String, String> ratio) {
        md.append("| benchmark | ops/s | error | ratio |\n|---|---|---|---|\n");
        for (Map.Entry<String, JmhRuns.Measured> entry : runs.results().entrySet()) {
            md.append(String.format(Locale.ROOT, "| %s | %,.0f | %s | %s |%n", entry.getKey(), entry.getValue().score(),
                    entry.getKey().endsWith(" failed") ? "" : String.format(Locale.ROOT, "± %,.0f", entry.getValue().error()),
                    ratio.apply(entry.getKey())));
        }
    }

    private static String verdict(boolean met) {
        return met ? "met" : "NOT met";
    }

    private String sqliteRatio(String name) {
        String[] parts = name.split(" ");
        if (name.endsWith(" failed")) {
            return "calls per measurement iteration that failed with database is locked (the row above counts calls)";
        }
        if (name.startsWith("record ") || name.startsWith("naive")) {
            String sync = name.startsWith("naive") ? "FULL" : parts[1];
            return String.format(Locale.ROOT, "%.1fx raw commit %s", sqlite.score(name) / sqlite.score("raw commit " + sync), sync);
        }
        if (name.startsWith("recordAsync")) {
            return String.format(Locale.ROOT, "%.0f%% of raw batch %s", 100 * sqlite.score(name) / sqlite.score("raw batch " + parts[1]), parts[1]);
        }
        return "";
    }

    /** A recorder row against the raw clients of its own thread count where that was measured, else 64. */
    private String postgresRatio(String name) {
        if (name.startsWith("pg raw commit")) {
            return "";
        }
        String sameCount = "pg raw commit " + name.substring(name.lastIndexOf(' ') + 1);
        String base = postgres.results().containsKey(sameCount) ? sameCount : "pg raw commit 64";
        return String.format(Locale.ROOT, "%.1fx %s", postgres.score(name) / postgres.score(base), base);
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
