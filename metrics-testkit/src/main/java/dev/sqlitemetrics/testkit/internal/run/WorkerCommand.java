package dev.sqlitemetrics.testkit.internal.run;

import dev.sqlitemetrics.core.Setting;
import dev.sqlitemetrics.testkit.Calls;
import dev.sqlitemetrics.testkit.internal.cli.CallsConverter;
import dev.sqlitemetrics.testkit.internal.cli.ConfigOptions;
import dev.sqlitemetrics.testkit.internal.cli.DurationConverter;
import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.testkit.RecorderFactory;
import dev.sqlitemetrics.testkit.WriterKind;
import dev.sqlitemetrics.testkit.internal.ledger.LedgerWriter;
import dev.sqlitemetrics.testkit.internal.run.Attempt;
import dev.sqlitemetrics.testkit.internal.run.AttemptWriter;
import dev.sqlitemetrics.testkit.internal.run.ChildRecorders;
import dev.sqlitemetrics.testkit.internal.run.ReleaseHooks;
import dev.sqlitemetrics.testkit.internal.run.Target;
import dev.sqlitemetrics.testkit.internal.run.ThreadWriters;
import dev.sqlitemetrics.testkit.internal.run.WarmUp;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * The child-JVM side of a multi-process run: opens its writer, prints {@code READY}, waits for
 * {@code GO} on stdin, writes from its threads, prints one {@code A ...} line per attempt and
 * {@code WRITTEN}, waits for {@code CLOSE} (the parent checks the table while every writer holds
 * its answers and the recorder is still open), closes, and prints {@code DONE}. Takes the same
 * config flags as the CLI.
 */
@Command(name = "contention-worker", mixinStandardHelpOptions = true,
        description = "Child process of a multi-process contention run (started by the runner).")
public final class WorkerCommand implements Callable<Integer> {
    /** Exit code of a child whose writers did not return within its timeout. */
    static final int HARNESS_FAILURE = 3;

    /** A flag per setting but the file (--path names it); added by {@link #main}. */
    final ConfigOptions config = new ConfigOptions();

    @Option(names = "--path", description = "The database file (or --jdbc-url for a PostgreSQL server).")
    Path path;

    @Option(names = "--writer", required = true, description = "RECORDER, NAIVE or LOCKED_CONNECTION.")
    WriterKind writer;

    @Option(names = "--calls", converter = CallsConverter.class,
            description = "How writers call the recorder: record, completion, async, completion-async or mix.")
    Calls calls = Calls.MIX;

    @Option(names = "--threads", required = true, description = "Writer threads in this process.")
    int threads;

    @Option(names = "--records-per-writer", required = true, description = "Records per thread.")
    int recordsPerWriter;

    @Option(names = "--naive-busy-timeout", converter = DurationConverter.class, description = "The naive writer's busy timeout.")
    Duration naiveBusyTimeout = Duration.ofMillis(3000);

    @Option(names = "--warm-up-records", description = "Records per thread written to a scratch database before READY.")
    int warmUpRecords;

    @Option(names = "--timeout", converter = DurationConverter.class, description = "Harness timeout.")
    Duration timeout = Duration.ofMinutes(10);

    @Option(names = "--ledger", description = "Log every call as a ledger (INV, then OK, FAIL or UNKNOWN), flushed line by line.")
    boolean ledger;

    @Option(names = "--open-after-go", description = "Open the writer after the barrier, so many processes create the file at once.")
    boolean openAfterGo;

    @Option(names = "--recorder-factory", paramLabel = "CLASS",
            description = "A RecorderFactory class (public, public no-argument constructor) that opens the recorder"
                    + " (default: the library's own).")
    String recorderFactory;

    /** Standard output, kept for the protocol alone. */
    private final PrintStream protocol;

    WorkerCommand(PrintStream protocol) {
        this.protocol = protocol;
    }

    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari",
                System.getProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "warn"));
        // The protocol gets standard output to itself: whatever else this JVM prints (the recorder under
        // test included) goes to standard error, so it can neither split nor forge a protocol line.
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        System.setOut(System.err);
        WorkerCommand command = new WorkerCommand(protocol);
        CommandLine commandLine = new CommandLine(command);
        command.config.addTo(commandLine, setting -> setting != Setting.DB);
        System.exit(commandLine.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = protocol;
        RecorderFactory factory = ChildRecorders.byName(recorderFactory);
        if (ledger) {
            return ledger(out, factory);
        }
        WarmUp.run(writer, target(), naiveBusyTimeout, factory::open, threads, warmUpRecords,
                timeout.toSeconds());
        AttemptWriter early = openAfterGo ? null : open(factory);
        out.println("READY");
        out.flush();
        BufferedReader parent = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        expect(parent, "GO");
        AttemptWriter attempts = early != null ? early : open(factory);
        ThreadWriters.Result result;
        try {
            result = ThreadWriters.run(attempts, threads, recordsPerWriter, "pid-" + ProcessHandle.current().pid(),
                    ReleaseHooks.NONE, timeout.toSeconds());
        } catch (java.util.concurrent.TimeoutException stuck) {
            // The parent shows what a child said: the stuck writers and their stacks, in full.
            out.println("STUCK " + stuck.getMessage());
            out.flush();
            return HARNESS_FAILURE;
        }
        StringBuilder lines = new StringBuilder();
        for (Attempt attempt : result.attempts()) {
            lines.append(attempt.toLine()).append('\n');
        }
        out.print(lines);
        out.println("WRITTEN");
        out.flush();
        expect(parent, "CLOSE");
        ThreadWriters.closeWithin(attempts, timeout.toSeconds());
        out.println("DONE");
        out.flush();
        return 0;
    }

    private int ledger(PrintStream out, RecorderFactory factory) throws Exception {
        try (MetricsRecorder recorder = factory.open(target().config())) {
            out.println("READY");
            out.flush();
            expect(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), "GO");
            LedgerWriter writer = new LedgerWriter(recorder, out);
            writer.run(threads, recordsPerWriter);
            // Every call answered: a kill from here on lands after the writing, not in it.
            out.println("SLOWEST " + writer.slowest().toMillis());
            out.println("WRITTEN");
            out.flush();
        }
        out.println("DONE");
        out.flush();
        return 0;
    }

    private static void expect(BufferedReader parent, String word) throws java.io.IOException {
        String line = parent.readLine();
        if (!word.equals(line)) {
            throw new IllegalStateException("expected " + word + " on stdin, got " + line);
        }
    }

    private AttemptWriter open(RecorderFactory factory) {
        return AttemptWriter.of(writer, target(), naiveBusyTimeout, calls, factory::open);
    }

    /** The database the flags name: the file at --path, or the server at --jdbc-url. */
    private Target target() {
        if (path == null && !config.namesAServer()) {
            throw new IllegalArgumentException("--path or --jdbc-url is required");
        }
        return Target.of(config.toStoreConfig(path));
    }
}
