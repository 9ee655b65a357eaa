package dev.sqlitemetrics.core.internal.write;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The recorder's own threads for completing the futures of async callers, and so for running the
 * callbacks that callers attach without an executor of their own. Not {@code ForkJoinPool.commonPool()}:
 * on a machine with 2 CPUs its parallelism is 1, and any user task spinning there (on recent JDKs
 * {@code CompletableFuture.runAsync} runs there too) would hold back every acknowledgement.
 * Internal: not part of the API.
 */
public final class CallbackExecutor {
    /** Enough that one slow callback does not hold back the next batch's acknowledgements. */
    private static final int THREADS = 2;
    /** Idle threads end after this, so a quiet recorder holds no callback thread. */
    private static final long IDLE_SECONDS = 10;

    private CallbackExecutor() {
    }

    /**
     * The caller's {@code executor} as the recorder's callback executor: shutting it down (which the
     * writer does when it stops) only stops handing it work; the executor itself stays the caller's.
     */
    public static ExecutorService borrowed(Executor executor) {
        Objects.requireNonNull(executor, "callbackExecutor");
        return new AbstractExecutorService() {
            private volatile boolean shutdown;

            @Override
            public void execute(Runnable command) {
                if (shutdown) {
                    throw new RejectedExecutionException("the recorder is closed");
                }
                executor.execute(command);
            }

            @Override
            public void shutdown() {
                shutdown = true;
            }

            @Override
            public List<Runnable> shutdownNow() {
                shutdown = true;
                return List.of();
            }

            @Override
            public boolean isShutdown() {
                return shutdown;
            }

            @Override
            public boolean isTerminated() {
                return shutdown;
            }

            @Override
            public boolean awaitTermination(long timeout, TimeUnit unit) {
                return shutdown;
            }
        };
    }

    /** A new executor whose daemon threads are named {@code <name>-<n>}; shut it down to end them. */
    public static ExecutorService create(String name) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, IDLE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}
