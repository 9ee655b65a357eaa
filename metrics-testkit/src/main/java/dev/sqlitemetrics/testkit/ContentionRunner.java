package dev.sqlitemetrics.testkit;

import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.PostgresConfig;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.core.StoreConfig;
import dev.sqlitemetrics.core.Durations;
import dev.sqlitemetrics.testkit.internal.run.WorkerCommand;
import dev.sqlitemetrics.testkit.internal.run.AttemptWriter;
import dev.sqlitemetrics.testkit.internal.run.ChildRecorders;
import dev.sqlitemetrics.testkit.internal.run.LockHogThread;
import dev.sqlitemetrics.testkit.internal.run.ProcessWriters;
import dev.sqlitemetrics.testkit.internal.run.ReleaseHooks;
import dev.sqlitemetrics.testkit.internal.run.TableSnapshot;
import dev.sqlitemetrics.testkit.internal.run.Target;
import dev.sqlitemetrics.testkit.internal.run.ThreadWriters;
import dev.sqlitemetrics.testkit.internal.run.Verifier;
import dev.sqlitemetrics.testkit.internal.run.WarmUp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Runs contention scenarios against real SQLite files and reports what happened.
 *
 * <pre>{@code
 * ContentionReport report = ContentionRunner.run(
 *         Scenario.builder().writerCounts(10, 100).build(),
 *         SqliteConfig.defaults(tempDir.resolve("contention.db")), tempDir);
 * ContentionAssertions.assertThat(report).lostNothing().failedNothing();
 * }</pre>
 *
 * Each level runs on a fresh file {@code level-<writers>-<writer>.db} under the work folder, so
 * levels cannot disturb each other. Throws {@link ContentionHarnessException} when the harness
 * itself fails (a child JVM died, a timeout); everything the writer under test does is data.
 */
public final class ContentionRunner {

    private final Scenario scenario;
    private final StoreConfig config;
    private final Path workDir;
    private Consumer<String> progress = line -> { };
    private RecorderFactory recorders = RecorderFactory.DEFAULT;

    private ContentionRunner(Scenario scenario, StoreConfig config, Path workDir) {
        this.scenario = Objects.requireNonNull(scenario, "scenario");
        this.config = Objects.requireNonNull(config, "config");
        this.workDir = Objects.requireNonNull(workDir, "workDir");
    }

    /**
     * Runs every level of the scenario's ladder with the real recorder, each level on a database of
     * its own so that no level sees another's rows. The config gives every setting but where the
     * database is: for a {@link SqliteConfig} its path is not used, and each level writes the file
     * {@code workDir/level-<writers>-<writer>.db} (created, and replaced if a run left one); for a
     * {@link PostgresConfig} each level writes the table {@code <tableName>_level_<writers>_<writer>}
     * on the configured server. The configured file or table itself is never touched.
     *
     * @param workDir where the levels' files (and child JVMs' scratch files) go; created if missing
     */
    public static ContentionReport run(Scenario scenario, StoreConfig config, Path workDir) {
        return of(scenario, config, workDir).run();
    }

    /** A runner to adjust before running. */
    public static ContentionRunner of(Scenario scenario, StoreConfig config, Path workDir) {
        return new ContentionRunner(scenario, config, workDir);
    }

    /** Tells {@code listener} as each level starts (for a progress line). */
    public ContentionRunner withProgress(Consumer<String> listener) {
        this.progress = Objects.requireNonNull(listener, "progress");
        return this;
    }

    /**
     * Opens recorders with {@code factory} instead of {@link MetricsRecorder#open(SqliteConfig)}, in
     * this JVM and, when the scenario has child JVMs, in each of them (see {@link RecorderFactory} for
     * what a factory needs to be created there).
     */
    public ContentionRunner withRecorderFactory(RecorderFactory factory) {
        this.recorders = Objects.requireNonNull(factory, "factory");
        return this;
    }

    /**
     * Runs every level of the scenario's ladder.
     *
     * @throws IllegalArgumentException     if the scenario needs child JVMs and the recorder factory cannot be
     *                                      created by name there (see {@link RecorderFactory}), or its lock hog
     *                                      or {@link WriterKind#LOCKED_CONNECTION} writer is given a server
     * @throws ContentionHarnessException   if the harness itself fails, or a writer does not return within
     *                                      the scenario's level timeout (the message names it and its stack)
     */
    public ContentionReport run() {
        checkChildren();
        long start = System.nanoTime();
        List<LevelResult> levels = new ArrayList<>();
        for (int writers : scenario.writerCounts()) {
            levels.add(level(writers));
        }
        return ContentionReport.of(levelTarget(scenario.writerCounts().get(0)).config(), scenario, levels,
                Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Doubles the writers from the scenario's first count until a level violates the thresholds,
     * then bisects between the last passing and the first failing count. Stops at {@code maxWriters}
     * or when {@code maxTime} is spent; the report's breaking point is {@code null} if none was found.
     */
    public ContentionReport findBreakingPoint(int maxWriters, Duration maxTime) {
        if (maxWriters < scenario.writerCounts().get(0)) {
            throw new IllegalArgumentException("maxWriters must be at least the first writer count ("
                    + scenario.writerCounts().get(0) + "), was " + maxWriters);
        }
        checkChildren();
        long start = System.nanoTime();
        long stopAt = start + maxTime.toNanos();
        List<LevelResult> levels = new ArrayList<>();
        int passing = 0;
        int failing = -1;
        for (int writers = scenario.writerCounts().get(0); System.nanoTime() < stopAt; ) {
            LevelResult level = level(writers);
            levels.add(level);
            if (!level.passed()) {
                failing = writers;
                break;
            }
            passing = writers;
            if (writers >= maxWriters) {
                break;
            }
            writers = Math.min(maxWriters, writers * 2);
        }
        while (failing > 0 && failing - passing > 1 && System.nanoTime() < stopAt) {
            int middle = passing + (failing - passing) / 2;
            LevelResult level = level(middle);
            levels.add(level);
            if (level.passed()) {
                passing = middle;
            } else {
                failing = middle;
            }
        }
        return ContentionReport.of(levelTarget(scenario.writerCounts().get(0)).config(), scenario, levels,
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** Refuses, before anything runs, a factory that child JVMs could not create. */
    private void checkChildren() {
        if (scenario.processes() > 0) {
            ChildRecorders.nameFor(recorders, "processes(" + scenario.processes() + ")");
        }
        if (scenario.lockHog() != null && !(config instanceof SqliteConfig)) {
            throw new IllegalArgumentException("lockHog holds SQLite's write lock and needs a SQLite file; this run is on "
                    + config.database());
        }
        if (scenario.writer() == WriterKind.LOCKED_CONNECTION && !(config instanceof SqliteConfig)) {
            throw new IllegalArgumentException("the LOCKED_CONNECTION writer uses SQLite's BEGIN IMMEDIATE and needs a"
                    + " SQLite file; this run is on " + config.database());
        }
    }

    /** The level's own database: a file in the work folder, or a table beside the configured one. */
    private Target levelTarget(int writers) {
        return Target.of(config).named(workDir, "level-" + writers + "-" + scenario.writer().name().toLowerCase(java.util.Locale.ROOT));
    }

    private LevelResult level(int writers) {
        Target target = levelTarget(writers);
        String name = scenario.writer().name().toLowerCase(java.util.Locale.ROOT);
        progress.accept(name + ": " + writers + " writers x " + scenario.recordsPerWriter() + " records"
                + (scenario.processes() > 0 ? " in " + Math.min(scenario.processes(), writers) + " JVMs" : "") + " ...");
        try {
            prepare(target);
            TableSnapshot before = TableSnapshot.read(target);
            LevelHooks hooks = new LevelHooks(target);
            TableSnapshot[] answered = new TableSnapshot[1];
            ProcessWriters.Answered look = () -> answered[0] = TableSnapshot.read(target);
            ThreadWriters.Result result = scenario.processes() == 0 ? inThreads(target, writers, hooks, look)
                    : inProcesses(target, writers, hooks, look);
            hooks.finish();
            TableSnapshot closed = TableSnapshot.read(target);
            LevelResult level = Verifier.evaluate(writers, result.attempts(), before, answered[0], closed,
                    result.releaseNanos(), scenario.thresholds());
            progress.accept(String.format(java.util.Locale.ROOT, "%s: %d writers: %d acknowledged, %d failed, %d lost,"
                            + " p99 %.1f ms: %s", name, writers, level.acknowledged(), level.failed(), level.lost(),
                    level.p99Ms(), level.passed() ? "passed" : "violated " + String.join("; ", level.violations())));
            return level;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContentionHarnessException("interrupted during the level of " + writers + " writers", e);
        } catch (Exception e) {
            throw new ContentionHarnessException("the level of " + writers + " writers on " + target.config().database()
                    + " failed: " + e, e);
        }
    }

    /**
     * Writers in threads of this JVM sharing one writer. The table is read once every thread has its
     * answers and before the writer is closed: an acknowledgement must mean committed already.
     */
    private ThreadWriters.Result inThreads(Target target, int writers, ReleaseHooks hooks,
                                           ProcessWriters.Answered look) throws Exception {
        long timeout = scenario.levelTimeout().toSeconds();
        WarmUp.run(scenario.writer(), target, scenario.naiveBusyTimeout(), recorders::open, writers,
                scenario.warmUpRecords(), timeout);
        AttemptWriter writer = AttemptWriter.of(scenario.writer(), target, scenario.naiveBusyTimeout(), scenario.calls(),
                recorders::open);
        boolean closed = false;
        try {
            ThreadWriters.Result result = ThreadWriters.run(writer, writers, scenario.recordsPerWriter(), "w" + writers,
                    hooks, timeout);
            look.run();
            closed = true;
            ThreadWriters.closeWithin(writer, timeout);
            return result;
        } finally {
            if (!closed) {
                ThreadWriters.closeWithin(writer, timeout);
            }
        }
    }

    private ThreadWriters.Result inProcesses(Target target, int writers, ReleaseHooks hooks,
                                             ProcessWriters.Answered look) throws Exception {
        String factory = ChildRecorders.nameFor(recorders, "processes(" + scenario.processes() + ")");
        int processes = Math.min(scenario.processes(), writers);
        List<List<String>> childArgs = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            int threads = writers / processes + (p < writers % processes ? 1 : 0);
            List<String> args = new ArrayList<>(List.of("--writer", scenario.writer().name(),
                    "--calls", scenario.calls().flag(),
                    "--threads", String.valueOf(threads),
                    "--records-per-writer", String.valueOf(scenario.recordsPerWriter()),
                    "--naive-busy-timeout", Durations.format(scenario.naiveBusyTimeout()),
                    "--warm-up-records", String.valueOf(scenario.warmUpRecords()),
                    "--timeout", Durations.format(scenario.levelTimeout())));
            if (factory != null) {
                args.addAll(List.of("--recorder-factory", factory));
            }
            args.addAll(target.childArgs());
            childArgs.add(args);
        }
        return ProcessWriters.run(WorkerCommand.class.getName(), childArgs, target.childEnvironment(), hooks,
                scenario.levelTimeout().toSeconds(), look);
    }

    /** Arms the scenario's lock hog once every writer is open, so opening never meets the hog's lock. */
    private final class LevelHooks implements ReleaseHooks {
        private final Target target;
        private LockHogThread hog;

        LevelHooks(Target target) {
            this.target = target;
        }

        @Override
        public void allReady() throws InterruptedException {
            if (scenario.lockHog() != null) {
                hog = LockHogThread.arm(((SqliteConfig) target.config()).path(), scenario.lockHog());
            }
        }

        @Override
        public void released() {
            if (hog != null) {
                hog.release();
            }
        }

        void finish() throws InterruptedException {
            if (hog != null) {
                hog.join();
            }
        }
    }

    /** A fresh file or table (created by the recorder, so both writers meet the same schema) and the prefill. */
    private void prepare(Target target) throws IOException, SQLException {
        Files.createDirectories(workDir);
        target.reset();
        try (MetricsRecorder recorder = MetricsRecorder.open(target.config())) {
            recorder.count();
        }
        if (scenario.prefillRows() == 0) {
            return;
        }
        try (Connection connection = target.connect();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO \"" + target.table() + "\" (msg) VALUES (?)")) {
            connection.setAutoCommit(false);
            for (int i = 0; i < scenario.prefillRows(); i++) {
                insert.setString(1, "prefill-" + i);
                insert.addBatch();
            }
            insert.executeBatch();
            connection.commit();
        }
    }
}
