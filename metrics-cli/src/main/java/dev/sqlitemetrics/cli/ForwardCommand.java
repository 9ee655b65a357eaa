package dev.sqlitemetrics.cli;

import dev.sqlitemetrics.testkit.internal.cli.DurationConverter;
import dev.sqlitemetrics.core.ForwardResult;
import dev.sqlitemetrics.core.ForwarderConfig;
import dev.sqlitemetrics.core.ForwarderListener;
import dev.sqlitemetrics.core.ForwardingLag;
import dev.sqlitemetrics.core.MetricsException;
import dev.sqlitemetrics.core.MetricsForwarder;
import dev.sqlitemetrics.core.MetricsReader;
import dev.sqlitemetrics.core.PostgresConfig;
import dev.sqlitemetrics.core.SqliteConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code forward}: ships a local file's completions to a PostgreSQL table, exactly once. */
@Command(name = "forward", mixinStandardHelpOptions = true,
        description = {"Ships the completions of a local SQLite file to a PostgreSQL table (by default messages, the"
                + " PostgreSQL recorder's own), exactly once: in commit order, in batches the server skips by id when"
                + " they arrive twice. What was shipped is kept in the file (table <table>_forwarded) and moves on"
                + " only after the server committed, so a restart resumes where the last one stopped.",
                "Without --once it keeps following the file until stopped (SIGINT or SIGTERM; the batch in flight"
                        + " is finished), waiting out a server that is down. With --once it ships what is there and"
                        + " exits 0. --status prints how far behind each server is, from the file alone. --forget"
                        + " drops a server's mark, so that it no longer keeps prune from deleting rows it never took.",
                "A server is known by its own identity (PostgreSQL's system identifier, database, schema and table),"
                        + " not by the URL that reached it, and appears in the file only once rows were shipped to it."})
final class ForwardCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--db", paramLabel = "FILE", required = true, description = "The local SQLite database file.")
    Path db;

    @Option(names = "--jdbc-url", paramLabel = "URL",
            description = "The PostgreSQL server: jdbc:postgresql://host:5432/database (the password is read from "
                    + StoreOptions.PASSWORD_VARIABLE + ").")
    String jdbcUrl;

    @Option(names = "--user", paramLabel = "NAME", description = "The user to connect as.")
    String user;

    @Option(names = "--table-name", paramLabel = "NAME", description = "The local table (default: messages).")
    String tableName = SqliteConfig.DEFAULT_TABLE_NAME;

    @Option(names = "--central-table", paramLabel = "NAME", description = "The table on the server (default: --table-name).")
    String centralTable;

    @Option(names = "--once", description = "Ship every completion recorded so far, then exit.")
    boolean once;

    @Option(names = "--quiet", description = "With --once: no progress line (there is one on a terminal).")
    boolean quiet;

    @Option(names = "--status", description = "Print how many completions each server has not received yet, and exit.")
    boolean status;

    @Option(names = "--forget", paramLabel = "TARGET",
            description = "Forget a server the file was forwarded to, by its name as --status prints it, and exit.")
    String forget;

    @Option(names = "--batch-size", paramLabel = "ROWS", description = "Most rows per server transaction (default: "
            + ForwarderConfig.DEFAULT_BATCH_SIZE + ").")
    int batchSize = ForwarderConfig.DEFAULT_BATCH_SIZE;

    @Option(names = "--retry-deadline", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "With --once: how long to keep trying while the server is down (default: 60s).")
    Duration retryDeadline;

    @Option(names = "--delete-shipped-after", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Delete local completions this old once shipped, e.g. 7d (never one not yet shipped).")
    Duration deleteShippedAfter;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        SqliteConfig local = local();
        if (status) {
            return status(local, out);
        }
        if (forget != null) {
            return forget(local, out);
        }
        if (jdbcUrl == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--jdbc-url is required to forward");
        }
        ForwarderConfig config = config(local);
        try {
            return once ? once(config, out) : follow(config, out);
        } catch (MetricsException e) {
            spec.commandLine().getErr().println("forward failed: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }

    private int once(ForwarderConfig config, PrintWriter out) {
        Progress[] progress = new Progress[1];
        try (MetricsForwarder forwarder = MetricsForwarder.open(config, new ForwarderListener() {
            @Override
            public void onShipped(int rows, int alreadyThere, Duration elapsed) {
                if (progress[0] != null) {
                    progress[0].advance(rows + alreadyThere);
                }
            }
        })) {
            progress[0] = Progress.onTerminal(spec.commandLine().getErr(), quiet, "forward",
                    forwarder.lag().unshippedRows());
            ForwardResult result = forwarder.forwardAll();
            progress[0].finish();
            ForwardingLag lag = forwarder.lag();
            out.println("shipped " + result.rows() + " completions (" + result.alreadyThere() + " already on the server)"
                    + " in " + result.batches() + " transactions, " + result.elapsed().toMillis() + " ms; "
                    + lag.unshippedRows() + " recorded since");
            out.flush();
            return ExitCodes.DONE;
        }
    }

    private int follow(ForwarderConfig config, PrintWriter out) throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        CountDownLatch stopped = new CountDownLatch(1);
        MetricsForwarder forwarder = MetricsForwarder.open(config, new ForwarderListener() {
            private long reported = -1;

            @Override
            public void onRetry(int attempt, MetricsException failure, Duration wait) {
                if (Integer.bitCount(attempt) == 1) {
                    err.println("forward: try " + attempt + " failed, trying again in " + wait.toMillis() + " ms: "
                            + failure.getMessage());
                    err.flush();
                }
            }

            @Override
            public void onLag(ForwardingLag lag) {
                if (lag.shippedRows() != reported) {
                    reported = lag.shippedRows();
                    out.println(lag.shippedRows() + " completions shipped, " + lag.unshippedRows() + " waiting");
                    out.flush();
                }
            }
        });
        Thread stop = new Thread(() -> {
            forwarder.close();
            stopped.countDown();
        }, "sqlite-metrics-forward-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        forwarder.start();
        err.println("forwarding " + db + " to " + config.target().database() + " table " + config.target().tableName()
                + " until stopped");
        err.flush();
        stopped.await();
        return ExitCodes.DONE;
    }

    private int status(SqliteConfig local, PrintWriter out) {
        try (MetricsReader reader = MetricsReader.open(local)) {
            List<ForwardingLag> lags = reader.forwarding();
            if (lags.isEmpty()) {
                out.println(db + " is not forwarded");
            }
            Instant now = Instant.now();
            for (ForwardingLag lag : lags) {
                out.println(lag.target() + ": " + lag.unshippedRows() + " waiting"
                        + (lag.oldestUnshipped() == null ? "" : ", the oldest recorded " + lag.oldestUnshipped() + " ("
                        + lag.age(now).toSeconds() + " s ago)") + "; " + lag.shippedRows() + " shipped"
                        + (lag.lastShipped() == null ? "" : ", last at " + lag.lastShipped()) + "; source " + lag.source());
            }
            out.flush();
            return ExitCodes.DONE;
        } catch (MetricsException e) {
            spec.commandLine().getErr().println("forward --status failed: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }

    private int forget(SqliteConfig local, PrintWriter out) {
        try {
            if (!MetricsForwarder.forget(local, forget)) {
                spec.commandLine().getErr().println("forward --forget: " + db + " has no mark for " + forget
                        + " (forward --status lists the servers it has)");
                return ExitCodes.FAILED;
            }
            out.println("forgot " + forget + ": prune no longer keeps rows for it");
            out.flush();
            return ExitCodes.DONE;
        } catch (MetricsException e) {
            spec.commandLine().getErr().println("forward --forget failed: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }

    private SqliteConfig local() {
        try {
            return SqliteConfig.builder(db).tableName(tableName).build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private ForwarderConfig config(SqliteConfig local) {
        try {
            PostgresConfig.Builder target = StoreOptions.postgres(jdbcUrl, user,
                    centralTable != null ? centralTable : tableName);
            if (retryDeadline != null) {
                PostgresConfig defaults = target.build();
                target.retry(defaults.retry().withDeadline(retryDeadline));
            }
            return ForwarderConfig.builder(local, target.build()).batchSize(batchSize)
                    .deleteShippedAfter(deleteShippedAfter).build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
