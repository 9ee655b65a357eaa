package dev.sqlitemetrics.testkit.internal.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs writers in child JVMs: waits until every child printed READY, releases them together with
 * GO, waits until every child printed its attempts and WRITTEN (its writers hold their answers, its
 * recorder is still open), lets the caller look at the table, then sends CLOSE and waits for DONE.
 * A child that dies or hangs is a harness failure that shows its last lines and, when it hangs,
 * where its threads are. Internal.
 */
public final class ProcessWriters {
    private static final long CHILD_REPORT_GRACE_NANOS = TimeUnit.SECONDS.toNanos(20);

    private ProcessWriters() {
    }

    /** What the caller does between the children's answers and their close. */
    @FunctionalInterface
    public interface Answered {
        void run() throws Exception;
    }

    /**
     * @param mainClass  the worker's main class
     * @param childArgs  arguments for each child (one list per child)
     * @param environment variables every child gets (a server's password: never on a command line)
     * @param hooks      told when every child waits at the barrier and when GO was sent
     * @param answered   runs once every child printed WRITTEN and before any is told to close
     */
    public static ThreadWriters.Result run(String mainClass, List<List<String>> childArgs,
                                           java.util.Map<String, String> environment, ReleaseHooks hooks,
                                           long timeoutSeconds, Answered answered) throws Exception {
        CountDownLatch ready = new CountDownLatch(childArgs.size());
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (List<String> args : childArgs) {
                children.add(ChildJvm.start(List.of(), List.of(), environment, mainClass, args, ready));
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
            // The children enforce the level timeout themselves and report a stuck writer with its own
            // stack; the parent waits a little longer, and looks into a child only when that child hangs.
            long deadline = start + TimeUnit.SECONDS.toNanos(timeoutSeconds) + CHILD_REPORT_GRACE_NANOS;
            for (ChildJvm child : children) {
                if (!child.awaitLine("WRITTEN", deadline - System.nanoTime())) {
                    throw stuckOrDead(child, "had not answered every call", timeoutSeconds);
                }
            }
            answered.run();
            for (ChildJvm child : children) {
                child.send("CLOSE");
            }
            List<Attempt> attempts = new ArrayList<>();
            for (ChildJvm child : children) {
                if (!child.await(deadline - System.nanoTime())) {
                    throw stuckOrDead(child, "had not closed its writer", timeoutSeconds);
                }
                List<String> output = child.completeLines();
                if (child.exitValue() != 0 || !output.contains("DONE")) {
                    throw new IllegalStateException("child JVM " + child.pid() + " died with exit code "
                            + child.exitValue() + "; what it said:\n" + child.diagnostics());
                }
                for (String line : output) {
                    Attempt attempt = Attempt.parse(line);
                    if (attempt != null) {
                        attempts.add(attempt);
                    }
                }
            }
            return new ThreadWriters.Result(attempts, start);
        } finally {
            for (ChildJvm child : children) {
                if (child.isAlive()) {
                    child.kill();
                }
            }
        }
    }

    private static IllegalStateException stuckOrDead(ChildJvm child, String what, long timeoutSeconds) {
        if (!child.isAlive()) {
            return new IllegalStateException("child JVM " + child.pid() + " died with exit code " + child.exitValue()
                    + " before it " + what.replace("had not ", "") + "; what it said:\n" + child.diagnostics());
        }
        return new IllegalStateException("child JVM " + child.pid() + " " + what + " after " + timeoutSeconds
                + "s (the level timeout)\n" + child.diagnostics() + "--- where its threads are:\n" + child.threadDump());
    }
}
