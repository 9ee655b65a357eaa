package dev.sqlitemetrics.testkit.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs writers in child JVMs: waits until every child printed READY, releases them together with
 * GO, and collects their attempts. A child that dies or hangs is a harness failure that shows its
 * last lines. Internal.
 */
public final class ProcessWriters {
    private ProcessWriters() {
    }

    /**
     * @param mainClass  the worker's main class
     * @param childArgs  arguments for each child (one list per child)
     * @param hooks      told when every child waits at the barrier and when GO was sent
     */
    public static ThreadWriters.Result run(String mainClass, List<List<String>> childArgs, ReleaseHooks hooks,
                                           long timeoutSeconds) throws IOException, InterruptedException {
        CountDownLatch ready = new CountDownLatch(childArgs.size());
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (List<String> args : childArgs) {
                children.add(ChildJvm.start(mainClass, args, ready));
            }
            if (!ready.await(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException("child JVMs did not all print READY within " + timeoutSeconds + "s\n"
                        + children.stream().map(ChildJvm::tail).collect(Collectors.joining()));
            }
            hooks.allReady();
            long start = System.nanoTime();
            for (ChildJvm child : children) {
                child.go();
            }
            hooks.released();
            long deadline = start + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            List<Attempt> attempts = new ArrayList<>();
            long drainNanos = 0;
            for (ChildJvm child : children) {
                if (!child.await(deadline - System.nanoTime())) {
                    throw new IllegalStateException("child JVM " + child.pid() + " did not finish within "
                            + timeoutSeconds + "s\n" + child.tail());
                }
                List<String> output = child.completeLines();
                if (child.exitValue() != 0 || !output.contains("DONE")) {
                    throw new IllegalStateException("child JVM " + child.pid() + " died with exit code "
                            + child.exitValue() + "; its last lines:\n" + child.tail());
                }
                for (String line : output) {
                    Attempt attempt = Attempt.parse(line);
                    if (attempt != null) {
                        attempts.add(attempt);
                    } else if (line.startsWith("DRAIN ")) {
                        drainNanos = Math.max(drainNanos, Long.parseLong(line.substring(6)));
                    }
                }
            }
            // The children time their own drain from GO; the slowest child's is the level's.
            return new ThreadWriters.Result(attempts, drainNanos);
        } finally {
            for (ChildJvm child : children) {
                if (child.isAlive()) {
                    child.kill();
                }
            }
        }
    }
}
