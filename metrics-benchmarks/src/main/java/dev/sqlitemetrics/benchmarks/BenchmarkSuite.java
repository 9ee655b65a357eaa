package dev.sqlitemetrics.benchmarks;

import dev.sqlitemetrics.testkit.internal.cli.ArtifactVersion;
import dev.sqlitemetrics.testkit.internal.cli.UsageErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Runs every JMH benchmark and the burst scenarios in one go and writes a results page, with each
 * figure as a ratio to the raw ceilings measured in the same run: SQLite, then PostgreSQL. Without
 * {@code --jdbc-url} the PostgreSQL parts start a throwaway server of their own (as root, with the
 * PostgreSQL 15 server binaries installed), or are left out saying why; a password for
 * {@code --jdbc-url} comes from the environment variable {@value BenchServer#PASSWORD_VARIABLE}. Plain
 * JMH options work too: {@code java -cp metrics-benchmarks/target/benchmarks.jar org.openjdk.jmh.Main -h}.
 */
@Command(name = "benchmarks", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = BenchmarkSuite.Version.class,
        description = {"Runs the benchmarks and writes a results page: every figure as a ratio to the ceilings measured"
                + " in the same run (about 10 minutes on 2 cores; --quick about 6).",
                "Parts (--only):",
                "  sqlite    JMH of record(), raw SQLite, the naive writer; bursts (about 5 min)",
                "  read      summaries, pruning, the record command's wall time (about 1 min)",
                "  rates     record() against each store's commit-per-row rate (about 4 min)",
                "  postgres  JMH and bursts on PostgreSQL, the forwarder, the rates (about 6 min)",
                "  forward   shipping a backlog to PostgreSQL (about 2 min)"})
public final class BenchmarkSuite implements Callable<Integer> {
    /** A part of the suite. */
    enum Part { SQLITE, READ, RATES, POSTGRES, FORWARD }

    @Option(names = "--only", paramLabel = "PART", description = "Run one part: ${COMPLETION-CANDIDATES}.")
    Part only;

    @Option(names = "--quick", description = "Fewer and shorter iterations.")
    boolean quick;

    @Option(names = "--bursts-only", description = "Only the burst scenarios, no JMH.")
    boolean burstsOnly;

    @Option(names = "--jdbc-url", paramLabel = "URL", description = "A PostgreSQL server to use instead of a throwaway one.")
    String jdbcUrl;

    @Option(names = "--user", paramLabel = "NAME", description = "With --jdbc-url: the user (default: postgres).")
    String user = "postgres";

    @Option(names = "--out", paramLabel = "FILE",
            description = "Where the page goes (default: a new results-<time>.md beside benchmarks.jar, under target/).")
    Path out;

    @Spec
    CommandLine.Model.CommandSpec spec;

    BenchmarkSuite() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The launcher's command line. */
    static CommandLine commandLine() {
        return new CommandLine(new BenchmarkSuite()).setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(new UsageErrors());
    }

    @Override
    public Integer call() throws Exception {
        Path file = out != null ? out : defaultFile();
        JmhRuns sqlite = new JmhRuns(quick);
        JmhRuns postgres = new JmhRuns(quick);
        List<String> bursts = List.of();
        List<String> postgresBursts = List.of();
        List<String> readSide = List.of();
        String server = null;
        if (only == null || only == Part.SQLITE) {
            if (!burstsOnly) {
                SqliteSuite.runJmh(sqlite);
            }
            bursts = BurstScenarios.run(quick);
        }
        if (only == null || only == Part.READ) {
            readSide = new java.util.ArrayList<>(ReadSideScenarios.run(quick));
            readSide.addAll(RecordCommandTiming.run(quick));
        }
        List<String> forwarding = List.of();
        List<String> rates = List.of();
        if (only == Part.RATES) {
            Optional<BenchServer> obtained = BenchServer.obtain(jdbcUrl, user);
            try (BenchServer pg = obtained.orElse(null)) {
                rates = CommitRates.run(pg, quick);
            }
        }
        if (only == null || only == Part.POSTGRES || only == Part.FORWARD) {
            Optional<BenchServer> obtained = BenchServer.obtain(jdbcUrl, user);
            if (obtained.isPresent()) {
                try (BenchServer pg = obtained.get()) {
                    if (only != Part.FORWARD) {
                        if (!burstsOnly) {
                            PostgresSuite.runJmh(postgres, pg);
                        }
                        postgresBursts = PostgresSuite.simultaneousWriters(pg);
                    }
                    if (!burstsOnly) {
                        forwarding = ForwardScenarios.run(pg, quick);
                        if (only != Part.FORWARD) {
                            rates = CommitRates.run(pg, quick);
                        }
                    }
                    server = pg.describe();
                }
            }
        }
        String markdown = new ResultsPage(sqlite, bursts, readSide, postgres, postgresBursts, forwarding, server,
                String.join(" ", spec.commandLine().getParseResult().originalArgs()), rates).render();
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, markdown, StandardCharsets.UTF_8);
        System.out.println(markdown);
        System.out.println("written to " + file.toAbsolutePath());
        return 0;
    }

    /** A new file beside the benchmarks jar (its target folder), named after the moment. */
    private static Path defaultFile() throws java.net.URISyntaxException {
        Path jar = Path.of(BenchmarkSuite.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        // benchmarks.jar sits in target/; run from the classes folder, its parent is target/ too.
        Path folder = jar.getParent();
        String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(java.time.ZoneOffset.UTC)
                .format(java.time.Instant.now());
        return folder.resolve("results-" + stamp + ".md");
    }

    /** The version of the libraries measured. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"benchmarks of sqlite-metrics " + ArtifactVersion.of(dev.sqlitemetrics.testkit.Scenario.class)};
        }
    }
}
