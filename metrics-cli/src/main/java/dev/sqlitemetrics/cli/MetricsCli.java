package dev.sqlitemetrics.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code sqlite-metrics}: records a completion from any process (a shell script, a cron job) and
 * reads the recorded metrics back, on a SQLite file ({@code --db}) or a PostgreSQL server
 * ({@code --jdbc-url}).
 */
@Command(name = "sqlite-metrics", mixinStandardHelpOptions = true, version = "sqlite-metrics 0.1.0",
        description = "Records completion metrics durably and reads them back, on a SQLite file or a PostgreSQL server.",
        subcommands = {RecordCommand.class, SummaryCommand.class, TailCommand.class, ExportCommand.class,
                PruneCommand.class, ReportCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:done (record: durably committed)",
                "1:failed (a read, a prune)",
                "2:usage error",
                "3:record: not written (safe to retry)",
                "4:record: outcome unknown (record again with the same --id)"})
public final class MetricsCli {
    private MetricsCli() {
    }

    public static void main(String[] args) {
        // A command's output is its answer: the libraries' INFO lines (pool started, stopped) are noise.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(commandLine().execute(args));
    }

    /** The command line with every subcommand, for tests and for main. */
    public static CommandLine commandLine() {
        return new CommandLine(new MetricsCli()).setCaseInsensitiveEnumValuesAllowed(true);
    }
}
