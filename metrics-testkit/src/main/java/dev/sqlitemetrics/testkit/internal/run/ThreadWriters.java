package dev.sqlitemetrics.testkit.internal.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Collectors;

/**
 * Runs N writer threads released at one barrier; each makes its records one after another.
 * Harness failures throw: a thread that did not start in time, or one still writing at the timeout,
 * which is named with its stack so the stuck call can be found. Internal.
 */
public final class ThreadWriters {
    private ThreadWriters() {
    }

    /**
     * The attempts of every thread, and when they were released.
     *
     * @param releaseNanos the release, on the {@link System#nanoTime()} clock
     */
    public record Result(List<Attempt> attempts, long releaseNanos) {
    }

    /**
     * @param hooks told when every thread waits at the barrier and when it opened
     */
    public static Result run(AttemptWriter writer, int threads, int recordsPerWriter, String tag, ReleaseHooks hooks,
                             long timeoutSeconds) throws InterruptedException, TimeoutException, ExecutionException {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        // An executor's threads, as a burst of writers measured best (threads started one by one from
        // this thread and joined in turn doubled the tail); each task notes its thread, so that a writer
        // still busy at the timeout can be named with its stack.
        AtomicReferenceArray<Thread> running = new AtomicReferenceArray<>(threads);
        java.util.concurrent.atomic.AtomicInteger created = new java.util.concurrent.atomic.AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "contention-writer-" + tag + "-" + created.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<List<Attempt>>> futures = new ArrayList<>(threads);
            for (int t = 0; t < threads; t++) {
                int index = t;
                futures.add(pool.submit(() -> {
                    running.set(index, Thread.currentThread());
                    ready.countDown();
                    go.await();
                    List<Attempt> attempts = new ArrayList<>(recordsPerWriter);
                    for (int r = 0; r < recordsPerWriter; r++) {
                        attempts.add(writer.write(index, r, tag + "-writer-" + index + "-record-" + r));
                    }
                    running.set(index, null);
                    return attempts;
                }));
            }
            if (!ready.await(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new TimeoutException(threads + " writer threads did not start within " + timeoutSeconds + "s");
            }
            hooks.allReady();
            long start = System.nanoTime();
            go.countDown();
            hooks.released();
            List<Attempt> all = new ArrayList<>(threads * recordsPerWriter);
            long deadline = start + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            for (Future<List<Attempt>> future : futures) {
                try {
                    all.addAll(future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                } catch (TimeoutException late) {
                    List<Thread> stuck = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        if (running.get(t) != null) {
                            stuck.add(running.get(t));
                        }
                    }
                    throw new TimeoutException(stuck.size() + " of " + threads + " writer threads still had not"
                            + " returned after " + timeoutSeconds + "s (the level timeout); where they are:\n"
                            + stacks(stuck));
                }
            }
            return new Result(all, start);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The names and stacks of {@code threads}, for a harness error. */
    static String stacks(List<Thread> threads) {
        return threads.stream().limit(20).map(thread -> "  " + thread.getName() + "\n"
                        + Arrays.stream(thread.getStackTrace()).limit(25).map(frame -> "    at " + frame)
                        .collect(Collectors.joining("\n")))
                .collect(Collectors.joining("\n")) + (threads.size() > 20 ? "\n  ... and " + (threads.size() - 20) + " more" : "");
    }

    /**
     * Closes {@code writer} within {@code timeoutSeconds}: a close that does not return is a harness
     * failure naming where it is stuck, not a level that hangs for ever.
     */
    public static void closeWithin(AutoCloseable writer, long timeoutSeconds) throws TimeoutException, ExecutionException,
            InterruptedException {
        Throwable[] failure = new Throwable[1];
        Thread closer = new Thread(() -> {
            try {
                writer.close();
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "contention-close");
        closer.setDaemon(true);
        closer.start();
        closer.join(TimeUnit.SECONDS.toMillis(timeoutSeconds));
        if (closer.isAlive()) {
            throw new TimeoutException("close() of the writer under test had not returned after " + timeoutSeconds
                    + "s (the level timeout); where it is:\n" + stacks(List.of(closer)));
        }
        if (failure[0] != null) {
            throw new ExecutionException("close() of the writer under test failed", failure[0]);
        }
    }
}
