package dev.sqlitemetrics.testkit.internal.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One child JVM started with this JVM's {@code java} and classpath: its output is drained into
 * lines as it comes, READY is noticed, GO is sent on stdin, and it can be killed with SIGKILL.
 * Internal.
 */
public final class ChildJvm {
    /** Small, quick-starting child JVMs: a writer needs little heap and no peak compilation. */
    /** This JVM's own {@code java}, which every child runs. */
    static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    static final List<String> JVM_FLAGS = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xshare:auto");

    private final Process process;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    /** The child's standard error: its logs, and whatever the code under test prints. */
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private final Thread drain;
    private final Thread errorDrain;
    private volatile IOException outputLost;

    private ChildJvm(Process process, CountDownLatch ready) {
        this.process = process;
        this.drain = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    output.add(line);
                    if (line.equals("READY")) {
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                outputLost = e;
                output.add("(output lost: " + e + ")");
            }
        }, "contention-child-drain-" + process.pid());
        drain.setDaemon(true);
        drain.start();
        // Kept apart from the protocol on standard output, so that nothing the code under test prints
        // can split or forge a protocol line.
        this.errorDrain = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    errors.add(line);
                }
            } catch (IOException e) {
                errors.add("(standard error lost: " + e + ")");
            }
        }, "contention-child-stderr-" + process.pid());
        errorDrain.setDaemon(true);
        errorDrain.start();
    }

    /** Starts {@code mainClass} with {@code args}; {@code ready} is counted down when it prints READY. */
    public static ChildJvm start(String mainClass, List<String> args, CountDownLatch ready) throws IOException {
        return start(List.of(), mainClass, args, ready);
    }

    /**
     * Starts {@code mainClass} under a launcher that execs its arguments (for example
     * {@code fiu-run -x}, which injects faults into the JVM it starts).
     */
    public static ChildJvm start(List<String> launcher, String mainClass, List<String> args, CountDownLatch ready)
            throws IOException {
        return start(launcher, List.of(), mainClass, args, ready);
    }

    /** Starts {@code mainClass} with extra JVM options (system properties for test-only hooks). */
    public static ChildJvm start(List<String> launcher, List<String> jvmOptions, String mainClass, List<String> args,
                                 CountDownLatch ready) throws IOException {
        return start(launcher, jvmOptions, java.util.Map.of(), mainClass, args, ready);
    }

    /** Starts {@code mainClass} with extra JVM options and extra environment variables (secrets go there). */
    public static ChildJvm start(List<String> launcher, List<String> jvmOptions, java.util.Map<String, String> environment,
                                 String mainClass, List<String> args, CountDownLatch ready) throws IOException {
        List<String> options = new ArrayList<>(ClassDataArchive.jvmOptions());
        options.addAll(jvmOptions);
        List<String> command = new ArrayList<>(launcher);
        command.addAll(javaCommand(System.getProperty("java.class.path"), options, mainClass, args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        return new ChildJvm(builder.start(), ready);
    }

    /** The command line of a child JVM: {@link #JAVA} with the child flags, then {@code options}. */
    static List<String> javaCommand(String classpath, List<String> options, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(JAVA.toString());
        command.addAll(JVM_FLAGS);
        command.addAll(options);
        command.addAll(launch(classpath, mainClass));
        command.addAll(args);
        return command;
    }

    /**
     * How a child starts {@code mainClass}: from the class path, or, where this JVM runs the testkit as
     * a named module (a modular application's tests), from this JVM's module path, with every module
     * on it, so that the child sees what this JVM sees.
     */
    private static List<String> launch(String classpath, String mainClass) {
        Module testkit = ChildJvm.class.getModule();
        String modulePath = System.getProperty("jdk.module.path");
        if (!testkit.isNamed() || modulePath == null || modulePath.isEmpty()) {
            return List.of("-cp", classpath, mainClass);
        }
        List<String> launch = new ArrayList<>(List.of("--module-path", modulePath, "--add-modules", "ALL-MODULE-PATH"));
        if (classpath != null && !classpath.isEmpty()) {
            launch.addAll(List.of("-cp", classpath));
        }
        launch.addAll(List.of("--module", testkit.getName() + "/" + mainClass));
        return launch;
    }

    /** Releases the child from its barrier. */
    public void go() throws IOException {
        send("GO");
    }

    /** Sends one line to the child's standard input. */
    public void send(String line) throws IOException {
        OutputStream stdin = process.getOutputStream();
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    /**
     * Waits until the child printed {@code marker} as a line of its own; false if it exited without
     * it or the time ran out.
     */
    public boolean awaitLine(String marker, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (System.nanoTime() < deadline) {
            synchronized (output) {
                if (output.contains(marker)) {
                    return true;
                }
            }
            if (!process.isAlive() && !drain.isAlive()) {
                return lines().contains(marker);
            }
            Thread.sleep(5);
        }
        return false;
    }

    /**
     * The child's threads and where they are ({@code jcmd <pid> Thread.print}), for a harness error
     * about a child that does not finish; a line saying why when that cannot be had.
     */
    public String threadDump() {
        Path jcmd = JAVA.resolveSibling("jcmd");
        try {
            Process dump = new ProcessBuilder(jcmd.toString(), String.valueOf(pid()), "Thread.print")
                    .redirectErrorStream(true).start();
            byte[] text = dump.getInputStream().readAllBytes();
            dump.waitFor(20, TimeUnit.SECONDS);
            String all = new String(text, StandardCharsets.UTF_8);
            // The writer threads are what matters; the JVM's own threads follow them.
            return all.length() > 20_000 ? all.substring(0, 20_000) + "\n..." : all;
        } catch (IOException e) {
            return "(no thread dump of child JVM " + pid() + ": " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(thread dump of child JVM " + pid() + " interrupted)";
        }
    }

    /** Waits for the child to exit and for its output to be drained; false on timeout. */
    public boolean await(long timeoutNanos) throws InterruptedException {
        if (!process.waitFor(Math.max(1, timeoutNanos), TimeUnit.NANOSECONDS)) {
            return false;
        }
        drain.join(TimeUnit.SECONDS.toMillis(30));
        errorDrain.join(TimeUnit.SECONDS.toMillis(5));
        return true;
    }

    /**
     * SIGKILL: the child gets no chance to clean up, as in a crash. What it wrote before it died is
     * still read to the end: the signal goes through the process handle, because
     * {@link Process#destroyForcibly()} also closes the pipe and drops whatever is unread in it.
     */
    public void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        drain.join(TimeUnit.SECONDS.toMillis(30));
    }

    /** Sends SIGKILL and returns at once; {@link #kill()} then waits for the death. */
    public void signalKill() {
        process.toHandle().destroyForcibly();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public int exitValue() {
        return process.exitValue();
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Every line of a child that has exited, read to the end of its output; a harness error when
     * part of it could not be read, since an account with a gap is not an account.
     */
    public List<String> completeLines() {
        if (drain.isAlive()) {
            throw new IllegalStateException("output of child JVM " + pid() + " not read to its end within 30 s of its exit");
        }
        if (outputLost != null) {
            throw new IllegalStateException("output of child JVM " + pid() + " partly lost: " + outputLost);
        }
        return lines();
    }

    /** Every line so far (a copy). */
    public List<String> lines() {
        synchronized (output) {
            return new ArrayList<>(output);
        }
    }

    /**
     * What the child said besides its protocol (attempt and ledger lines): errors, stack traces, a
     * stuck writer's report; the last 120 such lines, for a harness error.
     */
    public String diagnostics() {
        List<String> said = new ArrayList<>(lines().stream()
                .filter(line -> !line.startsWith("A ") && !line.startsWith("L ")).toList());
        synchronized (errors) {
            said.addAll(errors);
        }
        return "--- child JVM " + pid() + " (alive: " + isAlive() + ")\n"
                + String.join("\n", said.subList(Math.max(0, said.size() - 120), said.size())) + "\n";
    }

    /** The last lines, for a harness error. */
    public String tail() {
        List<String> lines = lines();
        List<String> errorLines;
        synchronized (errors) {
            errorLines = new ArrayList<>(errors);
        }
        return "--- child JVM " + pid() + " (alive: " + isAlive() + ")\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())) + "\n"
                + (errorLines.isEmpty() ? "" : "--- its standard error\n" + String.join("\n",
                errorLines.subList(Math.max(0, errorLines.size() - 15), errorLines.size())) + "\n");
    }
}
