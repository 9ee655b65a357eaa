package dev.sqlitemetrics.cli;

import dev.sqlitemetrics.core.MetricsException;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.core.StoreConfig;
import dev.sqlitemetrics.core.TableMigration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;

/** {@code migrate}: makes a SQLite file's table the recorder's on purpose, printing what it changes. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Makes the table of a SQLite file the recorder's, as the first recorder to open it would:"
                + " creates a missing table; gives a table of the classic shape messages(ts, msg) the columns it"
                + " lacks and a unique index on id, in one transaction, its rows untouched.",
                "A table of another shape is refused (exit 5) and never altered. Prints each statement."})
final class MigrateCommand extends StoreCommand {

    @Option(names = "--dry-run", description = "Only print what would change; write nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        StoreConfig config = store.config();
        if (!(config instanceof SqliteConfig sqlite)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "migrate works on a SQLite file: give --db FILE");
        }
        PrintWriter out = spec.commandLine().getOut();
        try {
            List<String> statements = dryRun ? TableMigration.plan(sqlite) : TableMigration.apply(sqlite);
            if (statements.isEmpty()) {
                out.println("nothing to change: table " + sqlite.tableName() + " of " + sqlite.path() + " fits already");
            } else {
                out.println((dryRun ? "would run" : "ran") + " on " + sqlite.path() + ":");
                statements.forEach(statement -> out.println("  " + statement + ";"));
            }
            out.flush();
            return ExitCodes.DONE;
        } catch (MetricsException e) {
            spec.commandLine().getErr().println("migrate failed: " + e.getMessage());
            return e.isRetryable() ? ExitCodes.FAILED : ExitCodes.PERMANENT;
        }
    }
}
