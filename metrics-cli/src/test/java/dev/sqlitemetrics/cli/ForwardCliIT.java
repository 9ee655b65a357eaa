package dev.sqlitemetrics.cli;

import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.testing.PostgresServer;
import dev.sqlitemetrics.core.SqliteConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** sqlite-metrics forward: --once, --status, and following a file until stopped, into a throwaway server. */
class ForwardCliIT {
    @RegisterExtension
    static final PostgresServer.PerClass CLUSTER = new PostgresServer.PerClass();
    private static final AtomicInteger TABLES = new AtomicInteger();

    private final String central = "forwarded_" + TABLES.incrementAndGet();

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = MetricsCli.commandLine(args);
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        int exit = command.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    @Timeout(120)
    void onceShipsWhatIsThereAndStatusSaysHowFarBehindTheServerIs() throws Exception {
        String db = dir.resolve("m.db").toString();
        for (String message : List.of("one", "two", "three")) {
            assertThat(run("record", "--db", db, "--task", "job", message).exit()).isZero();
        }
        assertThat(run("forward", "--db", db, "--status").out()).contains("is not forwarded");
        Run shipped = run("forward", "--db", db, "--jdbc-url", CLUSTER.server().jdbcUrl(), "--user", "postgres",
                "--central-table", central, "--once");
        assertThat(shipped.exit()).as(shipped.err()).isZero();
        assertThat(shipped.out()).startsWith("shipped 3 completions (0 already on the server) in 1 transactions");
        assertThat(centralCount()).isEqualTo(3);

        assertThat(run("record", "--db", db, "four").exit()).isZero();
        String status = run("forward", "--db", db, "--status").out();
        assertThat(status).contains(central + ": 1 waiting, the oldest recorded ").contains("; 3 shipped, last at ");

        Run usage = run("forward", "--db", db, "--once");
        assertThat(usage.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(usage.err()).contains("--jdbc-url is required");
        Run unreachable = run("forward", "--db", db, "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/none", "--once",
                "--retry-deadline", "1s");
        assertThat(unreachable.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(unreachable.err()).startsWith("forward failed: ").contains("127.0.0.1:1");
    }

    @Test
    @Timeout(120)
    void aMistypedServerHoldsNothingBackAndARealOneCanBeForgotten() throws Exception {
        String db = dir.resolve("held.db").toString();
        assertThat(run("record", "--db", db, "--task", "job", "--at", "2020-01-01T00:00:00Z", "old").exit()).isZero();
        Run mistyped = run("forward", "--db", db, "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/none", "--once",
                "--retry-deadline", "1s");
        assertThat(mistyped.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(run("forward", "--db", db, "--status").out()).contains("is not forwarded");

        Run shipped = run("forward", "--db", db, "--jdbc-url", CLUSTER.server().jdbcUrl(), "--user", "postgres",
                "--central-table", central, "--once");
        assertThat(shipped.exit()).as(shipped.err()).isZero();
        for (int i = 0; i < 3; i++) {
            assertThat(run("record", "--db", db, "--task", "job", "--at", "2020-01-02T00:00:00Z", "old " + i).exit())
                    .isZero();
        }
        Run pruned = run("prune", "--db", db, "--older-than", "30d");
        assertThat(pruned.exit()).as(pruned.err()).isZero();
        assertThat(pruned.out()).contains("deleted 1 completions").contains("kept 3 older completions not yet shipped to"
                + " postgresql:").contains("sqlite-metrics forward --db " + db + " --forget 'postgresql:");
        String target = pruned.out().substring(pruned.out().indexOf("--forget '") + "--forget '".length(),
                pruned.out().lastIndexOf('\''));
        Run forgot = run("forward", "--db", db, "--forget", target);
        assertThat(forgot.exit()).as(forgot.err()).isZero();
        assertThat(forgot.out()).contains("forgot " + target);
        assertThat(run("forward", "--db", db, "--forget", target).exit()).isEqualTo(ExitCodes.FAILED);
        // With no server left, every old row may go.
        assertThat(run("prune", "--db", db, "--older-than", "30d").out()).contains("deleted 3 completions")
                .doesNotContain("kept");
    }

    @Test
    @Timeout(180)
    void followingShipsNewRecordsUntilStopped() throws Exception {
        Path db = dir.resolve("followed.db");
        SqliteConfig local = SqliteConfig.defaults(db);
        MetricsRecorder.open(local).close();
        List<String> command = new ArrayList<>(List.of(Launcher.path().toString(), "forward", "--db", db.toString(),
                "--jdbc-url", CLUSTER.server().jdbcUrl(), "--user", "postgres", "--central-table", central));
        Process forwarder = Launcher.process(command, dir.resolve("cache")).redirectErrorStream(true)
                .redirectOutput(dir.resolve("forward.log").toFile()).start();
        try {
            try (MetricsRecorder recorder = MetricsRecorder.open(local)) {
                for (int i = 0; i < 50; i++) {
                    recorder.record("followed " + i);
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (centralCount() < 50) {
                assertThat(forwarder.isAlive()).as("the forwarder runs: %s", log()).isTrue();
                assertThat(System.nanoTime()).as("50 rows on the server in time: %s", log()).isLessThan(deadline);
                Thread.sleep(50);
            }
        } finally {
            // SIGTERM: the forwarder finishes its batch and moves the mark before the JVM exits.
            forwarder.destroy();
            assertThat(forwarder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(forwarder.exitValue()).as(log()).isIn(0, 128 + 15);
        assertThat(centralCount()).isEqualTo(50);
        assertThat(run("forward", "--db", db.toString(), "--status").out()).contains(": 0 waiting; 50 shipped");
        assertThat(log()).contains("until stopped").contains("50 completions shipped, 0 waiting");
    }

    private String log() {
        try {
            return java.nio.file.Files.readString(dir.resolve("forward.log"));
        } catch (java.io.IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private long centralCount() throws SQLException {
        try (Connection connection = DriverManager.getConnection(CLUSTER.server().jdbcUrl(), "postgres", "")) {
            try (ResultSet exists = connection.createStatement().executeQuery("SELECT to_regclass('" + central + "') IS NOT NULL")) {
                exists.next();
                if (!exists.getBoolean(1)) {
                    return 0;
                }
            }
            try (ResultSet rows = connection.createStatement().executeQuery("SELECT count(*) FROM " + central)) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
