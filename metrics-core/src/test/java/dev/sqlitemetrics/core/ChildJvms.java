package dev.sqlitemetrics.core;

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
 * Starts real child JVMs running {@link RecorderChild} with this JVM's {@code java} and classpath,
 * releases them at one barrier, drains their output, and shows a dead child's last lines.
 */
final class ChildJvms {
    private final List<Process> processes = new ArrayList<>();
    private final List<List<String>> outputs = new ArrayList<>();
    private final CountDownLatch ready;
    private final List<Thread> drains = new ArrayList<>();

    private ChildJvms(int count) {
        this.ready = new CountDownLatch(count);
    }

    /** Starts {@code count} children with the same arguments and waits until each printed READY. */
    static ChildJvms start(int count, Path db, int threads, int perThread, boolean openAfterGo) throws Exception {
        ChildJvms children = new ChildJvms(count);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int i = 0; i < count; i++) {
            ProcessBuilder builder = new ProcessBuilder(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-cp", System.getProperty("java.class.path"), RecorderChild.class.getName(),
                    db.toString(), String.valueOf(threads), String.valueOf(perThread), String.valueOf(openAfterGo));
            builder.redirectErrorStream(true);
            children.add(builder.start());
        }
        if (!children.ready.await(120, TimeUnit.SECONDS)) {
            children.destroy();
            throw new AssertionError("children did not all print READY within 120s:\n" + children.lastLines());
        }
        return children;
    }

    private void add(Process process) {
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        processes.add(process);
        outputs.add(output);
        Thread drain = new Thread(() -> {
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
        }, "child-drain-" + process.pid());
        drain.setDaemon(true);
        drain.start();
        drains.add(drain);
    }

    /** Releases every child at once, waits for all to exit 0, and returns each child's output lines. */
    List<List<String>> goAndWait(long timeoutSeconds) throws Exception {
        for (Process process : processes) {
            OutputStream stdin = process.getOutputStream();
            stdin.write("GO\n".getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        for (int i = 0; i < processes.size(); i++) {
            Process process = processes.get(i);
            if (!process.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                destroy();
                throw new AssertionError("child " + process.pid() + " did not finish in " + timeoutSeconds + "s:\n" + lastLines());
            }
            drains.get(i).join(10_000);
            if (process.exitValue() != 0 || !outputs.get(i).contains("DONE")) {
                throw new AssertionError("child " + process.pid() + " died with exit code " + process.exitValue()
                        + "; last lines:\n" + tail(outputs.get(i)));
            }
        }
        return outputs;
    }

    void destroy() {
        processes.forEach(Process::destroyForcibly);
    }

    private String lastLines() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < processes.size(); i++) {
            text.append("--- child ").append(processes.get(i).pid()).append('\n').append(tail(outputs.get(i)));
        }
        return text.toString();
    }

    private static String tail(List<String> lines) {
        synchronized (lines) {
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())) + "\n";
        }
    }
}
