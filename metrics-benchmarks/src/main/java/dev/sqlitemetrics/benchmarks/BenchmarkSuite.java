package dev.sqlitemetrics.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Runs every JMH benchmark and the burst scenarios in one go and writes RESULTS.md, with each
 * figure as a ratio to the raw ceilings measured in the same run: SQLite, then PostgreSQL.
 *
 * <p>Usage: {@code java -jar metrics-benchmarks/target/benchmarks.jar [--quick] [--only sqlite|read|postgres|forward]
 * [--bursts-only] [--jdbc-url URL [--user NAME]] [--out FILE]}. Without {@code --jdbc-url} the
 * PostgreSQL part starts a throwaway server of its own (as root, with the PostgreSQL 15 server
 * binaries installed), or is skipped saying why; a password for {@code --jdbc-url} comes from the
 * environment variable {@value BenchServer#PASSWORD_VARIABLE}. Plain JMH options work too:
 * {@code java -cp metrics-benchmarks/target/benchmarks.jar org.openjdk.jmh.Main -h}.
 */
public final class BenchmarkSuite {
    private BenchmarkSuite() {
    }

    public static void main(String[] args) throws Exception {
        List<String> options = List.of(args);
        boolean quick = options.contains("--quick");
        boolean burstsOnly = options.contains("--bursts-only");
        String only = value(options, "--only", null);
        Path file = Path.of(value(options, "--out", "metrics-benchmarks/RESULTS.md"));
        JmhRuns sqlite = new JmhRuns(quick);
        JmhRuns postgres = new JmhRuns(quick);
        List<String> bursts = List.of();
        List<String> postgresBursts = List.of();
        List<String> readSide = List.of();
        String server = null;
        if (only == null || only.equals("sqlite")) {
            if (!burstsOnly) {
                SqliteSuite.runJmh(sqlite);
            }
            bursts = BurstScenarios.run(quick);
        }
        if (only == null || only.equals("read")) {
            readSide = new java.util.ArrayList<>(ReadSideScenarios.run(quick));
            readSide.addAll(RecordCommandTiming.run(quick));
        }
        List<String> forwarding = List.of();
        List<String> rates = List.of();
        if ("rates".equals(only)) {
            Optional<BenchServer> obtained = BenchServer.obtain(value(options, "--jdbc-url", null),
                    value(options, "--user", "postgres"));
            try (BenchServer pg = obtained.orElse(null)) {
                rates = CommitRates.run(pg, quick);
            }
        }
        if (only == null || only.equals("postgres") || only.equals("forward")) {
            Optional<BenchServer> obtained = BenchServer.obtain(value(options, "--jdbc-url", null),
                    value(options, "--user", "postgres"));
            if (obtained.isPresent()) {
                try (BenchServer pg = obtained.get()) {
                    if (!"forward".equals(only)) {
                        if (!burstsOnly) {
                            PostgresSuite.runJmh(postgres, pg);
                        }
                        postgresBursts = PostgresSuite.simultaneousWriters(pg);
                    }
                    if (!burstsOnly) {
                        forwarding = ForwardScenarios.run(pg, quick);
                        rates = CommitRates.run(pg, quick);
                    }
                    server = pg.describe();
                }
            }
        }
        String markdown = new ResultsPage(sqlite, bursts, readSide, postgres, postgresBursts, forwarding, server, String.join(" ", args),
                rates).render();
        Files.writeString(file, markdown, StandardCharsets.UTF_8);
        System.out.println(markdown);
        System.out.println("written to " + file.toAbsolutePath());
    }

    private static String value(List<String> options, String name, String otherwise) {
        int at = options.indexOf(name);
        if (at < 0) {
            return otherwise;
        }
        if (at + 1 >= options.size()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return options.get(at + 1);
    }
}
