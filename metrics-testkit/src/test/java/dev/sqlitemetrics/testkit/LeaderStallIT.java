package dev.sqlitemetrics.testkit;

import dev.sqlitemetrics.testkit.internal.run.ConfigArgs;
import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.core.Retry;
import dev.sqlitemetrics.testkit.internal.ledger.Ledger;
import dev.sqlitemetrics.testkit.internal.ledger.LedgerCheck;
import dev.sqlitemetrics.testkit.internal.ledger.LedgerEntry;
import dev.sqlitemetrics.testkit.internal.run.ChildJvm;
import dev.sqlitemetrics.testkit.internal.run.WorkerCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reliability scenario 44 (docs/reliability.md), with real processes sharing commits: a writer never waits for a
 * leader past its own deadline. A leader frozen with SIGSTOP right after it took other processes'
 * records, and a {@code sqlite3} shell holding the write lock six times longer than the deadline,
 * each leave every caller of every other process answered within the deadline plus
 * {@link #MARGIN}: records the frozen leader holds as UNKNOWN, never NOT_WRITTEN, and the ledger
 * holds once it resumed. Every row carries the pid of the process that recorded it, not the leader's.
 */
class LeaderStallIT {
    private static final Duration DEADLINE = Duration.ofMillis(500);
    /** What an answer may take beyond the deadline: one statement, a backoff step, a loaded 2-core machine. */
    private static final Duration MARGIN = Duration.ofSeconds(1);
    private static final int PROCESSES = 4;
    private static final int THREADS = 8;

    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void writersAnswerWithinTheirDeadlineWhileALeaderHoldingTheirRecordsIsFrozen() throws Exception {
        SqliteConfig config = config("frozen.db");
        List<ChildJvm> children = start(config, 20, "-Dsqlitemetrics.test.stopAt=LEADER_AFTER_TAKE");
        try {
            ChildJvm frozen = children.get(0);
            long stoppedBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!isStopped(frozen.pid()) && frozen.isAlive() && System.nanoTime() < stoppedBy) {
                Thread.sleep(10);
            }
            assertThat(isStopped(frozen.pid())).as("the armed JVM stopped as a leader holding others' records: "
                    + frozen.tail()).isTrue();
            for (ChildJvm survivor : children.subList(1, PROCESSES)) {
                assertThat(survivor.await(TimeUnit.SECONDS.toNanos(120)))
                        .as("a writer finishes while the leader is frozen: " + survivor.tail()).isTrue();
                assertThat(survivor.exitValue()).as(survivor.tail()).isZero();
                assertThat(slowest(survivor)).as("slowest answer of pid " + survivor.pid())
                        .isLessThanOrEqualTo(DEADLINE.plus(MARGIN));
            }
            new ProcessBuilder("kill", "-CONT", Long.toString(frozen.pid())).start().waitFor();
            assertThat(frozen.await(TimeUnit.SECONDS.toNanos(120))).as(frozen.tail()).isTrue();
            assertThat(frozen.exitValue()).as(frozen.tail()).isZero();
        } finally {
            for (ChildJvm child : children) {
                new ProcessBuilder("kill", "-CONT", Long.toString(child.pid())).start().waitFor();
                child.kill();
            }
        }
        LedgerCheck check = verify(config, children);
        assertThat(check.unknown()).as("the frozen leader's records were answered UNKNOWN: " + check)
                .isGreaterThan(0);
    }

    @Test
    @Timeout(300)
    void writersAnswerWithinTheirDeadlineWhileAShellHoldsTheWriteLock() throws Exception {
        SqliteConfig config = config("shell.db");
        List<ChildJvm> children;
        Process shell = new ProcessBuilder("sqlite3", config.path().toString()).redirectErrorStream(true).start();
        try (Writer toShell = shell.outputWriter(StandardCharsets.UTF_8);
             BufferedReader fromShell = new BufferedReader(new InputStreamReader(shell.getInputStream(), StandardCharsets.UTF_8))) {
            toShell.write("BEGIN IMMEDIATE;\nSELECT 'held';\n");
            toShell.flush();
            assertThat(fromShell.readLine()).isEqualTo("held");
            children = start(config, 20, null);
            try {
                Thread.sleep(DEADLINE.multipliedBy(6).toMillis());
                toShell.write("ROLLBACK;\n.quit\n");
                toShell.flush();
                for (ChildJvm child : children) {
                    assertThat(child.await(TimeUnit.SECONDS.toNanos(120))).as(child.tail()).isTrue();
                    assertThat(child.exitValue()).as(child.tail()).isZero();
                    assertThat(slowest(child)).as("slowest answer of pid " + child.pid())
                            .isLessThanOrEqualTo(DEADLINE.plus(MARGIN));
                }
            } finally {
                for (ChildJvm child : children) {
                    child.kill();
                }
            }
        } finally {
            shell.destroyForcibly().waitFor();
        }
        LedgerCheck check = verify(config, children);
        assertThat(check.failed() + check.unknown()).as("the lock outlived the deadline: " + check).isGreaterThan(0);
    }

    private static SqliteConfig config(Path dir, String name) {
        return SqliteConfig.builder(dir.resolve(name)).sharedCommits(true)
                .retry(Retry.defaults().withDeadline(DEADLINE)).build();
    }

    private SqliteConfig config(String name) {
        SqliteConfig config = config(dir, name);
        MetricsRecorder.open(config).close();
        return config;
    }

    /** Writer JVMs released at one barrier; the first one started with {@code firstOption} when given. */
    private static List<ChildJvm> start(SqliteConfig config, int records, String firstOption) throws Exception {
        List<String> args = new ArrayList<>(List.of("--path", config.path().toString(), "--writer", "RECORDER",
                "--threads", Integer.toString(THREADS), "--records-per-writer", Integer.toString(records), "--ledger"));
        args.addAll(ConfigArgs.of(config));
        CountDownLatch ready = new CountDownLatch(PROCESSES);
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int i = 0; i < PROCESSES; i++) {
                List<String> options = i == 0 && firstOption != null ? List.of(firstOption) : List.of();
                children.add(ChildJvm.start(List.of(), options, WorkerCommand.class.getName(), args, ready));
            }
            assertThat(ready.await(120, TimeUnit.SECONDS)).as("every writer JVM ready").isTrue();
            for (ChildJvm child : children) {
                child.go();
            }
            return children;
        } catch (Exception | Error e) {
            for (ChildJvm child : children) {
                child.kill();
            }
            throw e;
        }
    }

    /** Checks the ledger of every child, and that each acknowledged row names the process that recorded it. */
    private static LedgerCheck verify(SqliteConfig config, List<ChildJvm> children) throws Exception {
        Ledger ledger = new Ledger();
        Map<String, Long> recordedBy = new HashMap<>();
        for (ChildJvm child : children) {
            ledger.addLines(child.lines());
            for (String line : child.lines()) {
                LedgerEntry entry = LedgerEntry.parse(line);
                if (entry != null && entry.kind() == LedgerEntry.Kind.OK) {
                    recordedBy.put(entry.id(), child.pid());
                }
            }
        }
        LedgerCheck check = LedgerCheck.verify(config, ledger, true);
        assertThat(check.violations()).as(check.toString()).isEmpty();
        Map<String, Long> stored = new HashMap<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + config.path());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id, pid FROM messages WHERE id IS NOT NULL")) {
            while (rows.next()) {
                stored.put(rows.getString(1), rows.getLong(2));
            }
        }
        Map<String, Long> wrongPid = new HashMap<>();
        recordedBy.forEach((id, pid) -> {
            if (!pid.equals(stored.get(id))) {
                wrongPid.put(id, stored.get(id));
            }
        });
        assertThat(wrongPid.size()).as("rows whose pid is not their recording process's, e.g. "
                + wrongPid.entrySet().stream().limit(3).toList()).isZero();
        return check;
    }

    private static Duration slowest(ChildJvm child) {
        return child.lines().stream().filter(line -> line.startsWith("SLOWEST "))
                .map(line -> Duration.ofMillis(Long.parseLong(line.substring("SLOWEST ".length()).trim())))
                .findFirst().orElseThrow(() -> new AssertionError("no SLOWEST line from pid " + child.pid()));
    }

    /** Whether the process is stopped (state T in /proc). */
    private static boolean isStopped(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return false;
        }
        String text = Files.readString(stat);
        return text.substring(text.lastIndexOf(')') + 2).startsWith("T");
    }
}
