package dev.sqlitemetrics.testkit.internal.cli;

import dev.sqlitemetrics.core.JournalMode;
import dev.sqlitemetrics.core.Setting;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.core.StoreConfig;
import dev.sqlitemetrics.testkit.internal.ledger.Fault;
import dev.sqlitemetrics.testkit.internal.run.Target;
import dev.sqlitemetrics.testkit.ContentionHarnessException;
import dev.sqlitemetrics.testkit.Calls;
import dev.sqlitemetrics.testkit.ContentionReport;
import dev.sqlitemetrics.testkit.ContentionRunner;
import dev.sqlitemetrics.testkit.LockHog;
import dev.sqlitemetrics.testkit.Scenario;
import dev.sqlitemetrics.testkit.Thresholds;
import dev.sqlitemetrics.testkit.WriterKind;
import dev.sqlitemetrics.testkit.internal.report.ReportFormat;
import dev.sqlitemetrics.testkit.internal.report.Verdict;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The testkit's command line: runs a contention scenario (by default the naive writer against the
 * recorder over a ladder of writer counts, on temporary databases) and prints the report.
 * Exit codes: 0 passed, 1 thresholds violated, 2 usage error, 3 harness failure.
 */
@Command(name = "sqlite-metrics-contention", mixinStandardHelpOptions = true,
        versionProvider = ContentionCommand.Version.class, sortOptions = false,
        description = "Runs concurrent-write contention scenarios against a SQLite recorder configuration"
                + " and reports failures, lost records and latency per writer count.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:passed", "1:thresholds violated", "2:usage error", "3:harness failure"})
public final class ContentionCommand implements Callable<Integer> {
    static final int PASSED = 0;
    static final int VIOLATED = 1;
    static final int HARNESS_FAILURE = 3;

    @Option(names = "--writers", split = ",", paramLabel = "N[,N...]",
            description = "Ladder of simultaneous writer counts (default: 10,100,500,1000).")
    List<Integer> writers;

    @Option(names = "--records-per-writer", paramLabel = "N", description = "Records each writer writes (default: 1).")
    int recordsPerWriter = 1;

    @Option(names = "--writer", paramLabel = "KIND", description = "RECORDER, NAIVE, or LOCKED_CONNECTION (one connection per JVM behind a lock, a"
            + " transaction per record, retried on SQLITE_BUSY; SQLite only) (default: RECORDER).")
    WriterKind writer = WriterKind.RECORDER;

    @Option(names = "--calls", paramLabel = "FORM", converter = CallsConverter.class,
            description = "How the writers call the recorder: record (record(msg)), completion (recordCompletion),"
                    + " async (recordAsync), completion-async (recordCompletionAsync), or mix: each writer cycles"
                    + " through all four (default: mix).")
    Calls calls = Calls.MIX;

    @Option(names = "--processes", paramLabel = "P", description = "Spread each level's writers over P child JVMs (default: 0, threads in this JVM).")
    int processes;

    @Option(names = "--threads-per-process", paramLabel = "T", description = "With --processes: one level of P x T writers.")
    Integer threadsPerProcess;

    @Option(names = "--prefill-rows", paramLabel = "N", description = "Rows inserted before the writers start (default: 0).")
    int prefillRows;

    @Option(names = "--warm-up-records", paramLabel = "N",
            description = "Records each writer thread first writes to a scratch database, in every JVM, so the burst"
                    + " meets warm code (default: 0, cold JVMs as in freshly spawned processes).")
    int warmUpRecords;

    @Option(names = "--lock-hog-at", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Start a lock hog this long after release.")
    Duration lockHogAt;

    @Option(names = "--lock-hog-hold", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long the lock hog holds the write lock.")
    Duration lockHogHold;

    @Option(names = "--max-failures", paramLabel = "N", description = "Failed calls a level may have (default: 0).")
    long maxFailures;

    @Option(names = "--max-lost", paramLabel = "N", description = "Lost records a level may have (default: 0).")
    long maxLost;

    @Option(names = "--max-unknown", paramLabel = "N",
            description = "Calls of unknown outcome a level may have (default: 0: an unknown outcome proves nothing).")
    long maxUnknown;

    @Option(names = "--max-p99", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Highest p99 latency of acknowledged calls a level may have, inclusive (default: none).")
    Duration maxP99;

    @Option(names = "--max-p999", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Highest p99.9 latency of acknowledged calls a level may have, inclusive (default: none).")
    Duration maxP999;

    @Option(names = "--max-latency", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Longest any call of a level may take, acknowledged or failed, inclusive (default: none).")
    Duration maxLatency;

    @Option(names = "--level-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long one level may take, close() included, before the run fails naming the writers"
                    + " still busy and their stacks (default: 10m).")
    Duration levelTimeout = Scenario.DEFAULT_LEVEL_TIMEOUT;

    @Option(names = "--baseline", paramLabel = "KIND", description = "Also run this writer over the same ladder: naive or none (default: naive).")
    String baseline = "naive";

    @Option(names = "--baseline-journal-mode", paramLabel = "MODE",
            description = "Journal mode of the naive baseline's database (default: DELETE, as in the classic experiment).")
    JournalMode baselineJournalMode;

    @Option(names = "--naive-busy-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "The naive writer's busy timeout (default: 3000ms, the driver's).")
    Duration naiveBusyTimeout = Scenario.DRIVER_DEFAULT_BUSY_TIMEOUT;

    @Option(names = "--preset", paramLabel = "NAME", description = "A case of the classic one-row-per-writer experiment: ${COMPLETION-CANDIDATES}.")
    Preset preset;

    @Option(names = "--find-breaking-point", description = "Double writers until a threshold breaks, then bisect.")
    boolean findBreakingPoint;

    @Option(names = "--max-writers", paramLabel = "N", description = "Upper bound of --find-breaking-point (default: 4096).")
    int maxWriters = 4096;

    @Option(names = "--max-time", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Time bound of --find-breaking-point (default: 5m).")
    Duration maxTime = Duration.ofMinutes(5);

    @Option(names = "--faults", paramLabel = "KIND",
            description = "Run a fault campaign instead of the ladder, then check every writer's ledger each round: kill"
                    + " (SIGKILL random writer JVMs), server-restart (restart a PostgreSQL server under the writers with"
                    + " --restart-command), failover (fail a PostgreSQL primary over to its standby under the writers"
                    + " with --failover-command) or power-cut (SQLite on a FUSE file system that loses every write not yet"
                    + " fsynced when the power is cut at a random moment; needs root, /dev/fuse and libfuse2).")
    String faults;

    @Option(names = "--failover-command", paramLabel = "COMMAND",
            description = "With --faults failover: a shell command that fails the server over (stops the primary at"
                    + " once, promotes its standby, brings up a new standby); give --jdbc-url both hosts with"
                    + " targetServerType=primary.")
    String failoverCommand;

    @Option(names = "--restart-command", paramLabel = "COMMAND",
            description = "With --faults server-restart: restarts the server, run with sh -c, for example"
                    + " 'pg_ctl -D /var/lib/postgresql/15/main restart -m immediate'.")
    String restartCommand;

    @Option(names = "--rounds", paramLabel = "N", description = "Rounds of a fault campaign (default: 3).")
    int rounds = 3;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of a fault campaign's random choices (default: random, printed).")
    Long seed;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text, json, csv or html (default: text).",
            converter = FormatConverter.class)
    ReportFormat format = ReportFormat.TEXT;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the report here instead of standard output.")
    Path out;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Folder for the databases (default: a temporary folder, deleted after).")
    Path workDir;

    /** A flag per setting but the file, which is one per level (see --work-dir); added by {@link #commandLine()}. */
    final ConfigOptions config = new ConfigOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // The runnable jar logs through slf4j-simple: keep the pool's start/stop chatter out of the report.
        System.setProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari",
                System.getProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "warn"));
        System.exit(commandLine().execute(args));
    }

    /** A failure inside the harness (not a verdict on the recorder): one line, exit 3. */
    public static final CommandLine.IExecutionExceptionHandler HARNESS_FAILURES = (exception, line, parsed) -> {
        line.getErr().println("harness failure: " + exception);
        return HARNESS_FAILURE;
    };

    /** The configured picocli command line (also used by the parity tests). */
    public static CommandLine commandLine() {
        ContentionCommand command = new ContentionCommand();
        CommandLine commandLine = new CommandLine(command);
        command.config.addTo(commandLine, setting -> setting != Setting.DB);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler(HARNESS_FAILURES);
        commandLine.setParameterExceptionHandler(new UsageErrors());
        return commandLine;
    }

    /** The scenario the flags describe for {@code kind}. */
    Scenario scenario(WriterKind kind) {
        List<Integer> ladder = writers;
        int childJvms = processes;
        if (threadsPerProcess != null) {
            if (processes < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--threads-per-process needs --processes");
            }
            ladder = List.of(processes * threadsPerProcess);
        }
        if (ladder == null) {
            ladder = preset != null ? preset.writers() : Scenario.DEFAULT_LADDER;
        }
        LockHog hog = null;
        if (lockHogAt != null || lockHogHold != null) {
            hog = new LockHog(lockHogAt == null ? Duration.ZERO : lockHogAt, lockHogHold == null ? Duration.ofSeconds(1) : lockHogHold);
        }
        try {
            return Scenario.builder().writerCounts(ladder).recordsPerWriter(recordsPerWriter).writer(kind)
                    .processes(childJvms).prefillRows(preset != null && prefillRows == 0 ? preset.prefillRows() : prefillRows)
                    .lockHog(hog).thresholds(new Thresholds(maxFailures, maxLost, maxUnknown, maxP99, maxP999, maxLatency))
                    .naiveBusyTimeout(naiveBusyTimeout).warmUpRecords(warmUpRecords).levelTimeout(levelTimeout)
                    .calls(calls).build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The recorder config the flags describe (its file or table is replaced per level). */
    StoreConfig recorderConfig(Path dir) {
        try {
            return config.toStoreConfig(dir.resolve("contention.db"));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Override
    public Integer call() throws IOException {
        if (!baseline.equalsIgnoreCase("naive") && !baseline.equalsIgnoreCase("none")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--baseline must be naive or none, was " + baseline);
        }
        if (faults != null && !List.of("kill", "server-restart", "failover", "power-cut")
                .contains(faults.toLowerCase(java.util.Locale.ROOT))) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--faults must be kill, server-restart, failover or power-cut, was " + faults);
        }
        if ("failover".equalsIgnoreCase(faults) && (failoverCommand == null || !config.namesAServer())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--faults failover needs --jdbc-url and"
                    + " --failover-command");
        }
        if ("power-cut".equalsIgnoreCase(faults) && config.namesAServer()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--faults power-cut tests a SQLite file's durability; a server's is its own (drop --jdbc-url)");
        }
        if ("server-restart".equalsIgnoreCase(faults) && (restartCommand == null || !config.namesAServer())) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--faults server-restart needs --jdbc-url and --restart-command");
        }
        boolean temporary = workDir == null;
        Path dir = temporary ? Files.createTempDirectory("sqlite-metrics-contention") : workDir;
        Consumer<String> progress = progress();
        try {
            StoreConfig recorderConfig = recorderConfig(dir);
            if (faults != null) {
                int verdict = faultCampaign(recorderConfig, progress);
                // A power cut's broken rounds keep their files for a look: say where, keep them.
                temporary &= !("power-cut".equalsIgnoreCase(faults) && verdict != PASSED);
                return verdict;
            }
            List<ContentionReport> reports = new ArrayList<>();
            reports.add(run(scenario(writer), recorderConfig, dir, progress));
            if (baseline.equalsIgnoreCase("naive") && writer != WriterKind.NAIVE) {
                JournalMode mode = baselineJournalMode != null ? baselineJournalMode
                        : preset != null ? preset.baselineJournalMode() : JournalMode.DELETE;
                StoreConfig baselineConfig = recorderConfig instanceof SqliteConfig sqlite
                        ? sqlite.toBuilder().journalMode(mode).build() : recorderConfig;
                reports.add(run(scenario(WriterKind.NAIVE), baselineConfig, dir.resolve("baseline"), progress));
            }
            String rendered = format.render(reports);
            PrintWriter stdout = spec.commandLine().getOut();
            String verdict = Verdict.of(reports);
            if (out != null) {
                Files.writeString(out, rendered, StandardCharsets.UTF_8);
                stdout.println(verdict);
                stdout.println("wrote " + out);
            } else {
                stdout.print(rendered);
                if (format == ReportFormat.TEXT) {
                    stdout.println(verdict);
                } else {
                    // Standard output holds the report alone, for a tool to read.
                    spec.commandLine().getErr().println(verdict);
                    spec.commandLine().getErr().flush();
                }
            }
            stdout.flush();
            return reports.get(0).passed() ? PASSED : VIOLATED;
        } catch (ContentionHarnessException e) {
            spec.commandLine().getErr().println("harness failure: " + e.getMessage());
            return HARNESS_FAILURE;
        } finally {
            if (temporary) {
                deleteRecursively(dir);
            }
        }
    }

    private int faultCampaign(StoreConfig recorderConfig, Consumer<String> progress) throws IOException {
        int jvms = Math.max(2, processes == 0 ? 4 : processes);
        int threads = threadsPerProcess != null ? threadsPerProcess : 8;
        int records = recordsPerWriter > 1 ? recordsPerWriter : 200;
        if ("power-cut".equalsIgnoreCase(faults)) {
            // Each round makes its own file on a fresh mount under the work folder.
            Path mounts = recorderConfig instanceof SqliteConfig sqlite ? sqlite.path().toAbsolutePath().getParent() : null;
            return new FaultCampaignRun(spec.commandLine(), out).runPowerCut((SqliteConfig) recorderConfig, mounts, jvms,
                    threads, records, rounds, seed, progress);
        }
        // The campaign's own file or table: each campaign checks a ledger that starts with an empty table.
        try {
            Target.of(recorderConfig).reset();
        } catch (java.sql.SQLException e) {
            spec.commandLine().getErr().println("harness failure: cannot start the campaign on a fresh table: " + e.getMessage());
            return HARNESS_FAILURE;
        }
        Fault fault = switch (faults.toLowerCase(java.util.Locale.ROOT)) {
            case "server-restart" -> Fault.restartServer(() -> runCommand("--restart-command", restartCommand));
            case "failover" -> Fault.failover(() -> runCommand("--failover-command", failoverCommand));
            default -> Fault.killWriters();
        };
        return new FaultCampaignRun(spec.commandLine(), out).run(recorderConfig, jvms, threads, records, rounds, seed, progress,
                fault);
    }

    /** Runs a fault's shell command; one that fails ends the campaign as a harness failure. */
    private static void runCommand(String flag, String command) throws IOException, InterruptedException {
        // Output to a file, not a pipe: a server the command starts may keep the pipe open for good.
        Path output = Files.createTempFile("sqlite-metrics-restart", ".log");
        try {
            Process restart = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            boolean finished = restart.waitFor(5, java.util.concurrent.TimeUnit.MINUTES);
            if (!finished || restart.exitValue() != 0) {
                restart.destroyForcibly();
                throw new IllegalStateException(flag + " " + (finished ? "failed" : "did not finish in 5 minutes")
                        + ": " + Files.readString(output, StandardCharsets.UTF_8).strip());
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private ContentionReport run(Scenario scenario, StoreConfig recorderConfig, Path dir, Consumer<String> progress) {
        ContentionRunner runner = ContentionRunner.of(scenario, recorderConfig, dir).withProgress(progress);
        return findBreakingPoint ? runner.findBreakingPoint(maxWriters, maxTime) : runner.run();
    }

    /** A line per level on standard error when it is a terminal; silence in CI logs and pipes. */
    private Consumer<String> progress() {
        if (!Terminal.isInteractive()) {
            return line -> { };
        }
        PrintWriter err = spec.commandLine().getErr();
        return line -> {
            err.println(line);
            err.flush();
        };
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Reads format names in any case. */
    static final class FormatConverter implements CommandLine.ITypeConverter<ReportFormat> {
        @Override
        public ReportFormat convert(String value) {
            try {
                return ReportFormat.valueOf(value.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a format (text, json, csv, html)");
            }
        }
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"sqlite-metrics-testkit " + ArtifactVersion.of(dev.sqlitemetrics.testkit.Scenario.class)};
        }
    }
}
