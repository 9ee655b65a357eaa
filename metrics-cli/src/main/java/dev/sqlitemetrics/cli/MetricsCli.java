package dev.sqlitemetrics.cli;

import dev.sqlitemetrics.testkit.internal.cli.ContentionCommand;
import dev.sqlitemetrics.testkit.internal.cli.ArtifactVersion;
import dev.sqlitemetrics.testkit.internal.cli.UsageErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;

/**
 * {@code sqlite-metrics}: records a completion from any process (a shell script, a cron job) and
 * reads the recorded metrics back, on a SQLite file ({@code --db}) or a PostgreSQL server
 * ({@code --jdbc-url}); {@code contention} runs the testkit's concurrent-write scenarios.
 */
@Command(name = "sqlite-metrics", mixinStandardHelpOptions = true, versionProvider = MetricsCli.Version.class,
        description = "Records completion metrics durably and reads them back, on a SQLite file or a PostgreSQL server.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:done (record: durably committed)",
                "1:failed (a read, a prune, a forward)",
                "2:usage error",
                "3:record: not written, and trying again may succeed (a busy database, a server down)",
                "4:record: outcome unknown (record again with the same --id)",
                "5:record: not written, and trying again cannot help until something is fixed (configuration,"
                        + " permissions, a table of another shape, a damaged file)"})
public final class MetricsCli {
    /** Every subcommand, in the order {@code --help} lists them. */
    static final List<String> SUBCOMMANDS = List.of("record", "summary", "tail", "export", "prune", "report", "forward",
            "migrate", "agent", "contention");

    @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "On a failure, print the Java stack trace too.")
    boolean verbose;

    private MetricsCli() {
    }

    /** The artifact's version, as the build wrote it. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"sqlite-metrics " + ArtifactVersion.of(MetricsCli.class)};
        }
    }

    /**
     * Subcommand {@code name}, with the settings' flags where it reads or writes a store (a switch, not
     * lambdas: a short-lived JVM spins none).
     */
    private static CommandLine subcommand(String name) {
        Object command = switch (name) {
            case "record" -> new RecordCommand();
            case "summary" -> new SummaryCommand();
            case "tail" -> new TailCommand();
            case "export" -> new ExportCommand();
            case "prune" -> new PruneCommand();
            case "report" -> new ReportCommand();
            case "forward" -> new ForwardCommand();
            case "migrate" -> new MigrateCommand();
            case "agent" -> new AgentCommand();
            // The testkit's contention run, with its own exit codes (0 passed, 1 thresholds violated,
            // 2 usage error, 3 harness failure) and its own handling of a failure inside the harness.
            case "contention" -> ContentionCommand.commandLine().setCommandName("contention");
            default -> throw new IllegalArgumentException("no subcommand " + name);
        };
        if (command instanceof CommandLine line) {
            return line;
        }
        CommandLine line = new CommandLine(command);
        if (command instanceof StoreCommand stored) {
            stored.store.addTo(line);
        }
        return line;
    }

    public static void main(String[] args) {
        // A command's output is its answer: the libraries' INFO lines (pool started, stopped) are noise.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        NativeLibraryCache.use(NativeLibraryCache.folder());
        // UTF-8 whatever the locale: task names and messages are any Unicode text.
        CommandLine line = commandLine(args)
                .setOut(new java.io.PrintWriter(new java.io.OutputStreamWriter(System.out, java.nio.charset.StandardCharsets.UTF_8), true))
                .setErr(new java.io.PrintWriter(new java.io.OutputStreamWriter(System.err, java.nio.charset.StandardCharsets.UTF_8), true));
        System.exit(line.execute(args));
    }

    /** The command line with every subcommand, for tests and for {@code --help}. */
    public static CommandLine commandLine() {
        CommandLine line = new CommandLine(new MetricsCli());
        for (String name : SUBCOMMANDS) {
            line.addSubcommand(name, subcommand(name));
        }
        return configured(line);
    }

    /**
     * What every command line shares, set after the subcommands (picocli hands a setting to the
     * subcommands it has at that moment): a usage error is its message and one line pointing to
     * {@code --help}; a failure no command handled is one line (the stack trace with {@code --verbose});
     * a word that names no command is a usage error, even beside {@code --help}.
     */
    private static CommandLine configured(CommandLine line) {
        line.setCaseInsensitiveEnumValuesAllowed(true);
        line.setParameterExceptionHandler(new UsageErrors());
        line.setExecutionExceptionHandler((exception, failed, parsed) -> {
            java.io.PrintWriter err = failed.getErr();
            err.println(failed.getCommandName() + " failed: " + exception);
            if (((MetricsCli) failed.getCommandSpec().root().userObject()).verbose) {
                exception.printStackTrace(err);
            }
            err.flush();
            return ExitCodes.FAILED;
        });
        CommandLine contention = line.getSubcommands().get("contention");
        if (contention != null) {
            // The contention run keeps its own exit code for a failure of the harness.
            contention.setExecutionExceptionHandler(ContentionCommand.HARNESS_FAILURES);
        }
        CommandLine.IExecutionStrategy run = new CommandLine.RunLast();
        line.setExecutionStrategy(parsed -> {
            if (!parsed.hasSubcommand() && !parsed.originalArgs().isEmpty()
                    && !parsed.originalArgs().get(0).startsWith("-")) {
                throw new CommandLine.UnmatchedArgumentException(parsed.commandSpec().commandLine(),
                        "Unknown command: '" + parsed.originalArgs().get(0) + "' (commands: "
                                + String.join(", ", SUBCOMMANDS) + ")");
            }
            return run.execute(parsed);
        });
        return line;
    }

    /**
     * The command line for {@code args}: with only the subcommand they name, when they name one.
     * Building the model of a subcommand reads its annotations by reflection; a {@code record} from
     * a shell script should not pay for the others.
     */
    static CommandLine commandLine(String... args) {
        if (args.length == 0 || !SUBCOMMANDS.contains(args[0])) {
            return commandLine();
        }
        return configured(new CommandLine(new MetricsCli()).addSubcommand(args[0], subcommand(args[0])));
    }
}
