package dev.sqlitemetrics.core.testing;

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
 * Runs tasks on many threads released together at one latch, and rethrows the first worker failure.
 */
public final class Concurrently {

    /** A task that gets its worker index. */
    @FunctionalInterface
    public interface Worker<T> {
        T run(int index) throws Exception;
    }

    private Concurrently() {
    }

    /** Starts {@code threads} workers, releases them at once, waits up to {@code timeout}, returns their results in order. */
    public static <T> List<T> run(int threads, long timeoutSeconds, Worker<T> worker) throws Exception {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>(threads);
            for (int i = 0; i < threads; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return worker.run(index);
                }));
            }
            if (!ready.await(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new TimeoutException("workers did not start within " + timeoutSeconds + "s");
            }
            go.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            List<T> results = new ArrayList<>(threads);
            for (Future<T> future : futures) {
                try {
                    results.add(future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Exception cause) {
                        throw cause;
                    }
                    throw e;
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
