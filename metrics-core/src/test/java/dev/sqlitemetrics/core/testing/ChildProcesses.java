package dev.sqlitemetrics.core.testing;

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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Child JVMs on the test class path that print READY, wait for GO on their input (the start
 * barrier), and print their results: started together, released together, their output kept.
 */
public final class ChildProcesses implements AutoCloseable {
    private final List<Process> children = new ArrayList<>();
    private final List<List<String>> outputs = new ArrayList<>();
    private final List<Thread> drains = new ArrayList<>();
    private final CountDownLatch ready;

    /** Starts one child of {@code mainClass} per element of {@code argsPerChild}. */
    public ChildProcesses(Class<?> mainClass, List<List<String>> argsPerChild) throws IOException {
        ready = new CountDownLatch(argsPerChild.size());
        String javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (List<String> args : argsPerChild) {
            List<String> command = new ArrayList<>(List.of(javaBinary, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
                    System.getProperty("java.class.path"), mainClass.getName()));
            command.addAll(args);
            Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            List<String> lines = Collections.synchronizedList(new ArrayList<>());
            Thread drain = new Thread(() -> {
                try (BufferedReader reader = new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        lines.add(line);
                        if (line.equals("READY")) {
                            ready.countDown();
                        }
                    }
                } catch (IOException e) {
                    lines.add("(lost: " + e + ")");
                }
            });
            drain.start();
            children.add(child);
            outputs.add(lines);
            drains.add(drain);
        }
    }

    /** Waits until every child is READY, then sends each GO at once. */
    public void release() throws IOException, InterruptedException {
        assertThat(ready.await(120, TimeUnit.SECONDS)).as("children ready: %s", outputs).isTrue();
        for (Process child : children) {
            OutputStream stdin = child.getOutputStream();
            stdin.write("GO\n".getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
        }
    }

    /** Waits for every child to exit 0 after printing DONE; returns their output lines, child by child. */
    public List<List<String>> awaitDone(long timeoutSeconds) throws InterruptedException {
        for (int p = 0; p < children.size(); p++) {
            assertThat(children.get(p).waitFor(timeoutSeconds, TimeUnit.SECONDS)).as("child %d exits", p).isTrue();
            drains.get(p).join(30_000);
            assertThat(children.get(p).exitValue()).as("child %d: %s", p, outputs.get(p)).isZero();
            assertThat(outputs.get(p)).contains("DONE");
        }
        return outputs.stream().map(List::copyOf).toList();
    }

    @Override
    public void close() {
        children.forEach(Process::destroyForcibly);
    }
}
