package dev.sqlitemetrics.testkit.run;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs N writer threads released at one barrier; each makes its records one after another.
 * Harness failures (a thread that did not start or finish in time) throw. Internal.
 */
public final class ThreadWriters {
    private ThreadWriters() {
    }

    /** The attempts of every thread, and the time from release to the last return. */
    public record Result(List<Attempt> attempts, long drainNanos) {
    }

    /**
     * @param hooks told when every thread waits at the barrier and when it opened
     */
    public static Result run(AttemptWriter writer, int threads, int recordsPerWriter, String tag, ReleaseHooks hooks,
                             long timeoutSeconds) throws InterruptedException, TimeoutException, ExecutionException {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "contention-writer");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<List<Attempt>>> futures = new ArrayList<>(threads);
            for (int t = 0; t < threads; t++) {
                int index = t;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    List<Attempt> attempts = new ArrayList<>(recordsPerWriter);
                    for (int r = 0; r < recordsPerWriter; r++) {
                        attempts.add(writer.write(tag + "-writer-" + index + "-record-" + r));
                    }
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
                all.addAll(future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
            return new Result(all, System.nanoTime() - start);
        } finally {
            pool.shutdownNow();
        }
    }
}
