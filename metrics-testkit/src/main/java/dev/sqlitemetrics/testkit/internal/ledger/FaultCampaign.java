package dev.sqlitemetrics.testkit.internal.ledger;

import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.StoreConfig;
import dev.sqlitemetrics.testkit.RecorderFactory;
import dev.sqlitemetrics.testkit.internal.run.WorkerCommand;
import dev.sqlitemetrics.testkit.internal.run.ChildJvm;
import dev.sqlitemetrics.testkit.internal.run.ChildRecorders;
import dev.sqlitemetrics.testkit.internal.run.TableSnapshot;
import dev.sqlitemetrics.testkit.internal.run.Target;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Crash-tests a recorder configuration: each round starts writer JVMs on one database, releases
 * them at a barrier, strikes at a random moment (SIGKILLs a random subset of the writers, or restarts
 * the database server under them), lets the survivors finish, and checks the database against every
 * writer's ledger. Rounds accumulate on the same file, so each
 * round also starts from the state the previous crash left. Only victims still writing when the
 * signal came count as killed; a round in which every victim had already finished is reported, since
 * it tested no crash.
 */
public final class FaultCampaign {
    private final StoreConfig config;
    private final int processes;
    private final int threads;
    private final int records;
    private final Random random;
    private final Consumer<String> progress;
    private final RecorderFactory recorders;
    private final String childFactory;
    private final Fault fault;

    /**
     * @param config    the recorder configuration under test: its SQLite file, or its table on a server
     * @param processes writer JVMs per round, at least 2
     * @param threads   writer threads per JVM
     * @param records   calls per thread (a killed JVM stops early)
     * @param seed      seeds the choice of victims and moments, so a failing campaign can be replayed
     */
    public FaultCampaign(StoreConfig config, int processes, int threads, int records, long seed,
                        Consumer<String> progress) {
        this(config, processes, threads, records, seed, progress, RecorderFactory.DEFAULT, Fault.killWriters());
    }

    /**
     * A campaign against the recorder {@code recorders} opens, in every writer JVM (see
     * {@link RecorderFactory} for what a factory needs to be created there).
     *
     * @throws IllegalArgumentException if child JVMs cannot create {@code recorders} by name
     */
    public FaultCampaign(StoreConfig config, int processes, int threads, int records, long seed,
                        Consumer<String> progress, RecorderFactory recorders) {
        this(config, processes, threads, records, seed, progress, recorders, Fault.killWriters());
    }

    /**
     * A campaign of another fault: writers killed ({@link Fault#killWriters()}) or the server
     * restarted under them ({@link Fault#restartServer}).
     */
    public FaultCampaign(StoreConfig config, int processes, int threads, int records, long seed,
                         Consumer<String> progress, RecorderFactory recorders, Fault fault) {
        if (processes < 2) {
            throw new IllegalArgumentException("processes must be at least 2, was " + processes);
        }
        this.config = config;
        this.processes = processes;
        this.threads = threads;
        this.records = records;
        this.random = new Random(seed);
        this.progress = progress;
        this.recorders = recorders;
        this.childFactory = ChildRecorders.nameFor(recorders, "a " + fault.name() + " campaign");
        this.fault = fault;
    }

    /**
     * What a campaign did and found.
     *
     * @param rounds         rounds run
     * @param killed         writer JVMs killed while still writing
     * @param noKillRounds   rounds in which every victim had finished writing before the signal: no crash tested
     * @param invoked        calls in the ledger
     * @param ok             calls acknowledged
     * @param failed         calls reported definitely not written
     * @param unknown        calls of unknown outcome or in flight at a kill
     * @param lost           acknowledged calls whose record is missing, at the last check
     * @param duplicated     calls whose record is present more than once, at the last check
     * @param integrity      the storage check at the last check: {@code ok}, or what is wrong
     * @param violations     every invariant broken, in words
     */
    public record Result(String fault, int rounds, int killed, List<Integer> noKillRounds, long invoked, long ok,
                         long failed, long unknown, long lost, long duplicated, String integrity,
                         List<String> violations) {
        public Result {
            noKillRounds = List.copyOf(noKillRounds);
            violations = List.copyOf(violations);
        }

        public boolean passed() {
            return violations.isEmpty();
        }

        @Override
        public String toString() {
            return String.format("%s campaign: %d rounds, %d %s while writing%s, %d calls invoked, %d acknowledged,"
                            + " %d not written, %d unknown or in flight; %s", fault, rounds, killed,
                    fault.equals("kill") ? "JVMs killed" : "faults landed",
                    noKillRounds.isEmpty() ? "" : " (no fault landed mid-write in rounds " + noKillRounds + ")",
                    invoked, ok, failed, unknown,
                    violations.isEmpty() ? "every invariant held (lost 0, duplicated 0)" : violations.size()
                            + " violations:\n  " + String.join("\n  ", violations));
        }
    }

    /**
     * Runs {@code rounds} rounds. Harness failures (a JVM that would not start, output that could not
     * be read) throw.
     *
     * @throws IllegalArgumentException if {@code rounds} is below 1, or the table already holds records: every row must be in the
     *                                  campaign's ledger, or it would count as never invoked (rows
     *                                  other clients inserted, without an id, are fine)
     */
    public Result run(int rounds) throws IOException, InterruptedException, SQLException {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1, was " + rounds);
        }
        // The table, made by the library as for every contention level, so that every writer meets the same schema.
        MetricsRecorder.open(config).close();
        Target target = Target.of(config);
        TableSnapshot start = TableSnapshot.read(target);
        if (!start.rowsById().isEmpty()) {
            throw new IllegalArgumentException("a " + fault.name() + " campaign needs a table without records: "
                    + config.database()
                    + " holds " + start.rowsById().size() + " already");
        }
        Ledger ledger = new Ledger();
        List<String> violations = new ArrayList<>();
        List<Integer> noKillRounds = new ArrayList<>();
        int killed = 0;
        LedgerCheck check = null;
        for (int round = 1; round <= rounds; round++) {
            progress.accept(fault.name() + " round " + round + "/" + rounds);
            int midWrite = round(round, ledger, violations);
            try {
                fault.recover();
            } catch (IOException | InterruptedException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("round " + round + ": recovering from the " + fault.name() + " failed: " + e, e);
            }
            killed += midWrite;
            if (midWrite == 0) {
                noKillRounds.add(round);
            }
            check = LedgerCheck.verify(config, ledger, start, recorders, true);
            for (String violation : check.violations()) {
                violations.add("round " + round + ": " + violation);
            }
        }
        return new Result(fault.name(), rounds, killed, noKillRounds, check.invoked(), check.ok(), check.failed(),
                check.unknown(), check.lost(), check.duplicated(), check.integrity(), violations);
    }

    private int round(int round, Ledger ledger, List<String> violations) throws IOException, InterruptedException {
        Target target = Target.of(config);
        List<String> args = new ArrayList<>(List.of("--writer", "RECORDER",
                "--threads", String.valueOf(threads), "--records-per-writer", String.valueOf(records), "--ledger"));
        if (childFactory != null) {
            args.addAll(List.of("--recorder-factory", childFactory));
        }
        args.addAll(target.childArgs());
        CountDownLatch ready = new CountDownLatch(processes);
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int p = 0; p < processes; p++) {
                children.add(ChildJvm.start(List.of(), List.of(), target.childEnvironment(), WorkerCommand.class.getName(),
                        args, ready));
            }
            if (!ready.await(120, TimeUnit.SECONDS)) {
                StringBuilder tails = new StringBuilder();
                children.forEach(child -> tails.append(child.tail()));
                throw new IllegalStateException("round " + round + ": writer JVMs did not start\n" + tails);
            }
            for (ChildJvm child : children) {
                child.go();
            }
            Thread.sleep(fault.strikeAfterMillis(random));
            Fault.Strike strike;
            try {
                strike = fault.strike(children, random);
            } catch (IOException | InterruptedException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("round " + round + ": the " + fault.name() + " fault failed: " + e, e);
            }
            List<ChildJvm> victims = strike.killed();
            int midWrite = strike.landedWhileWriting();
            for (ChildJvm child : children) {
                if (!victims.contains(child)) {
                    if (!child.await(TimeUnit.MINUTES.toNanos(5))) {
                        violations.add("round " + round + ": surviving writer " + child.pid() + " hung\n" + child.tail());
                        child.kill();
                    } else if (child.exitValue() != 0) {
                        violations.add("round " + round + ": surviving writer " + child.pid() + " died\n" + child.tail());
                    }
                }
                List<String> lines = child.completeLines();
                ledger.addLines(lines);
                if (!victims.contains(child)) {
                    survivorsSeeOnlyBusy(round, lines, violations);
                }
            }
            return midWrite;
        } finally {
            for (ChildJvm child : children) {
                if (child.isAlive()) {
                    child.kill();
                }
            }
        }
    }

    /** A crash of another writer may delay the survivors, never fail them for another reason. */
    private static void survivorsSeeOnlyBusy(int round, List<String> lines, List<String> violations) {
        for (String line : lines) {
            LedgerEntry entry = LedgerEntry.parse(line);
            if (entry != null && (entry.kind() == LedgerEntry.Kind.FAIL || entry.kind() == LedgerEntry.Kind.UNKNOWN)
                    && (entry.code() == null || !busy(entry.code()))) {
                violations.add("round " + round + ": a surviving writer saw " + entry.kind() + " " + entry.code()
                        + " for " + entry.id());
            }
        }
    }

    /** SQLite's busy family, or a server's (too many clients, serialization failure, deadlock, lock not available). */
    private static boolean busy(String code) {
        return code.startsWith("SQLITE_BUSY") || code.equals("SQLSTATE_53300") || code.equals("SQLSTATE_40001")
                || code.equals("SQLSTATE_40P01") || code.equals("SQLSTATE_55P03");
    }
}
