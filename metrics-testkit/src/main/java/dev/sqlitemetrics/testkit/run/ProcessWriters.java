package dev.sqlitemetrics.testkit.run;

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
 * Runs writers in child JVMs started with this JVM's {@code java} and classpath: waits until every
 * child printed READY, releases them together with GO, drains their output, and collects their
 * attempts. A child that dies or hangs is a harness failure that shows its last lines. Internal.
 */
public final class ProcessWriters {
    /** Small, quick-starting child JVMs: a writer needs little heap and no peak compilation. */
    private static final List<String> JVM_FLAGS = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xshare:auto");

    private ProcessWriters() {
    }

    /**
     * @param mainClass  the worker's main class
     * @param childArgs  arguments for each child (one list per child)
     * @param hooks      told when every child waits at the barrier and when GO was sent
     */
    public static ThreadWriters.Result run(String mainClass, List<List<String>> childArgs, ReleaseHooks hooks,
                                           long timeoutSeconds) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        CountDownLatch ready = new CountDownLatch(childArgs.size());
        List<Process> processes = new ArrayList<>();
        List<List<String>> outputs = new ArrayList<>();
        List<Thread> drains = new ArrayList<>();
        try {
            for (List<String> args : childArgs) {
                List<String> command = new ArrayList<>();
                command.add(java);
                command.addAll(JVM_FLAGS);
                command.add("-cp");
                command.add(System.getProperty("java.class.path"));
                command.add(mainClass);
                command.addAll(args);
                Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
                List<String> output = Collections.synchronizedList(new ArrayList<>());
                processes.add(process);
                outputs.add(output);
                drains.add(drain(process, output, ready));
            }
            if (!ready.await(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException("child JVMs did not all print READY within " + timeoutSeconds + "s\n"
                        + lastLines(processes, outputs));
            }
            hooks.allReady();
            long start = System.nanoTime();
            for (Process process : processes) {
                OutputStream stdin = process.getOutputStream();
                stdin.write("GO\n".getBytes(StandardCharsets.US_ASCII));
                stdin.flush();
            }
            hooks.released();
            long deadline = start + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            List<Attempt> attempts = new ArrayList<>();
            long drainNanos = 0;
            for (int i = 0; i < processes.size(); i++) {
                Process process = processes.get(i);
                if (!process.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    throw new IllegalStateException("child JVM " + process.pid() + " did not finish within "
                            + timeoutSeconds + "s\n" + lastLines(processes, outputs));
                }
                drains.get(i).join(TimeUnit.SECONDS.toMillis(30));
                List<String> output = outputs.get(i);
                if (process.exitValue() != 0 || !output.contains("DONE")) {
                    throw new IllegalStateException("child JVM " + process.pid() + " died with exit code "
                            + process.exitValue() + "; its last lines:\n" + tail(output));
                }
                synchronized (output) {
                    for (String line : output) {
                        Attempt attempt = Attempt.parse(line);
                        if (attempt != null) {
                            attempts.add(attempt);
                        } else if (line.startsWith("DRAIN ")) {
                            drainNanos = Math.max(drainNanos, Long.parseLong(line.substring(6)));
                        }
                    }
                }
            }
            // The children time their own drain from GO; the slowest child's is the level's.
            return new ThreadWriters.Result(attempts, drainNanos);
        } finally {
            processes.forEach(Process::destroyForcibly);
        }
    }

    private static Thread drain(Process process, List<String> output, CountDownLatch ready) {
        Thread thread = new Thread(() -> {
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
                output.add("(output lost: " + e + ")");
            }
        }, "contention-child-drain-" + process.pid());
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static String lastLines(List<Process> processes, List<List<String>> outputs) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < processes.size(); i++) {
            text.append("--- child JVM ").append(processes.get(i).pid()).append(" (alive: ")
                    .append(processes.get(i).isAlive()).append(")\n").append(tail(outputs.get(i)));
        }
        return text.toString();
    }

    private static String tail(List<String> lines) {
        synchronized (lines) {
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())) + "\n";
        }
    }
}
