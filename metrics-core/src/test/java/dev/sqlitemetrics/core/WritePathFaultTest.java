package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.testing.Db;
import dev.sqlitemetrics.core.testing.FaultyConnection;
import dev.sqlitemetrics.core.internal.write.GroupCommitRecorder;
import dev.sqlitemetrics.core.testing.FaultyConnection.Step;
import dev.sqlitemetrics.core.internal.write.CallbackExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A throwable at every step of the write path, as a {@link RuntimeException} and as an {@link Error}:
 * afterwards the write lock is free for another connection, the caller got the outcome the table
 * shows, within the deadline plus one statement, and the next record succeeds.
 */
class WritePathFaultTest {
    private static final Duration DEADLINE = Duration.ofSeconds(2);
    /** One statement's worth of slack on top of the deadline, as docs/errors.md promises. */
    private static final Duration ONE_STATEMENT = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    static Stream<Arguments> stepsAndThrowables() {
        Supplier<Throwable> runtime = () -> new IllegalStateException("injected defect");
        Supplier<Throwable> error = () -> new OutOfMemoryError("injected: Java heap space");
        return Stream.of(Step.values()).flatMap(step -> Stream.of(
                Arguments.of(step, "RuntimeException", runtime),
                Arguments.of(step, "Error", error)));
    }

    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("stepsAndThrowables")
    @Timeout(60)
    void aThrowableAtAnyStepFreesTheLockReportsTheTrueOutcomeAndKeepsTheRecorderWorking(
            Step step, String kind, Supplier<Throwable> failure) throws Exception {
        Path db = dir.resolve("faults.db");
        FaultyConnection faults = new FaultyConnection(step, failure);
        try (MetricsRecorder recorder = open(db, RecorderListener.NONE, faults::wrap,
                CallbackExecutor.create("test-callbacks"))) {
            long start = System.nanoTime();
            MetricsException thrown = (MetricsException) catchThrowable(() -> recorder.record("victim"));
            Duration waited = Duration.ofNanos(System.nanoTime() - start);

            assertThat(faults.fired()).isTrue();
            assertThat(thrown).as("the caller is told").isNotNull();
            assertThat(waited).isLessThan(DEADLINE.plus(ONE_STATEMENT));
            int copies = Db.idCounts(db).getOrDefault(thrown.recordId().toString(), 0);
            switch (step) {
                case BEFORE_BEGIN, AFTER_BEGIN, MID_INSERT -> {
                    assertThat(thrown.outcome()).isEqualTo(WriteOutcome.NOT_WRITTEN);
                    assertThat(copies).isZero();
                }
                case AT_COMMIT -> {
                    assertThat(thrown.outcome()).isEqualTo(WriteOutcome.UNKNOWN);
                    assertThat(copies).isLessThanOrEqualTo(1);
                }
                case AFTER_COMMIT -> {
                    assertThat(thrown.outcome()).isEqualTo(WriteOutcome.UNKNOWN);
                    assertThat(copies).isEqualTo(1);
                }
            }
            assertThat(thrown).hasMessageContaining("injected").hasMessageContaining(db.toString());
            assertWriteLockIsFree(db);
            UUID next = recorder.record("after the " + kind + " " + step);
            assertThat(Db.idCounts(db)).containsEntry(next.toString(), 1);
        }
        assertThat(Db.integrityCheck(db)).isEqualTo("ok");
    }

    static Stream<Arguments> throwables() {
        return Stream.of(
                Arguments.of("RuntimeException", (Supplier<Throwable>) () -> new IllegalStateException("listener defect")),
                Arguments.of("Error", (Supplier<Throwable>) () -> new AssertionError("listener assertion")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("throwables")
    @Timeout(60)
    void aListenerThatThrowsOnEveryEventNeitherStopsTheRecorderNorHoldsTheLock(String kind, Supplier<Throwable> failure)
            throws Exception {
        Path db = dir.resolve("listener.db");
        AtomicInteger calls = new AtomicInteger();
        RecorderListener throwing = new RecorderListener() {
            @Override
            public void onBatchCommitted(int records, int attempts, Duration elapsed) {
                calls.incrementAndGet();
                throwUnchecked(failure.get());
            }

            @Override
            public void onBatchFailed(int records, MetricsException batchFailure) {
                calls.incrementAndGet();
                throwUnchecked(failure.get());
            }

            @Override
            public void onConnectionEvicted(int resultCode) {
                calls.incrementAndGet();
                throwUnchecked(failure.get());
            }
        };
        // A write-path failure too, so that onBatchFailed and onConnectionEvicted throw as well.
        FaultyConnection faults = new FaultyConnection(Step.MID_INSERT, () -> new IllegalStateException("injected"));
        try (MetricsRecorder recorder = open(db, throwing, faults::wrap, CallbackExecutor.create("test-callbacks"))) {
            assertThat(catchThrowable(() -> recorder.record("fails once"))).isInstanceOf(MetricsException.class);
            for (int i = 0; i < 50; i++) {
                recorder.record("record " + i);
            }
            recorder.recordAsync("async").get(30, TimeUnit.SECONDS);
            assertWriteLockIsFree(db);
        }
        assertThat(calls.get()).isGreaterThanOrEqualTo(53);
        assertThat(Db.query(db, "SELECT count(*) FROM messages")).isEqualTo("51");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("throwables")
    @Timeout(60)
    void callbackThreadsThatRefuseWorkStillCompleteEveryCaller(String kind, Supplier<Throwable> failure) throws Exception {
        Path db = dir.resolve("callbacks.db");
        ExecutorService refusing = new RefusingExecutor(failure);
        try (MetricsRecorder recorder = open(db, RecorderListener.NONE, UnaryOperator.identity(), refusing)) {
            CompletableFuture<UUID> first = recorder.recordAsync("completed although the executor refused");
            UUID id = first.get(30, TimeUnit.SECONDS);
            assertThat(Db.idCounts(db)).containsEntry(id.toString(), 1);
            assertWriteLockIsFree(db);
            recorder.record("the next one too");
        }
    }

    @Test
    @Timeout(60)
    void anErrorWhileReportingAFailureStillCompletesTheCaller() throws Exception {
        Path db = dir.resolve("report.db");
        // The listener hears of the failed batch only after its callers; an Error there must not
        // undo their completion or leave the next caller waiting.
        RecorderListener failing = new RecorderListener() {
            @Override
            public void onBatchFailed(int records, MetricsException batchFailure) {
                throw new OutOfMemoryError("injected while reporting");
            }
        };
        FaultyConnection faults = new FaultyConnection(Step.BEFORE_BEGIN, () -> new OutOfMemoryError("injected"));
        try (MetricsRecorder recorder = open(db, failing, faults::wrap, CallbackExecutor.create("test-callbacks"))) {
            Throwable thrown = catchThrowable(() -> recorder.recordAsync("x").get(30, TimeUnit.SECONDS));
            assertThat(thrown).hasCauseInstanceOf(MetricsException.class);
            recorder.record("next");
            assertWriteLockIsFree(db);
        }
    }

    private static MetricsRecorder open(Path db, RecorderListener listener, UnaryOperator<Connection> connections,
                                        ExecutorService callbacks) {
        SqliteConfig config = SqliteConfig.builder(db).retry(Retry.defaults().withDeadline(DEADLINE)).build();
        return new GroupCommitRecorder(config, listener,
                guarded -> dev.sqlitemetrics.core.internal.sqlite.SqliteStore.open(config, guarded, connections), callbacks, "test");
    }

    /** Another connection, with no busy wait at all, takes the write lock: nobody holds it. */
    static void assertWriteLockIsFree(Path db) throws Exception {
        try (Connection other = Db.connect(db); Statement statement = other.createStatement()) {
            statement.execute("PRAGMA busy_timeout = 0");
            statement.execute("BEGIN IMMEDIATE");
            statement.execute("ROLLBACK");
        }
    }

    private static void throwUnchecked(Throwable failure) {
        if (failure instanceof Error error) {
            throw error;
        }
        throw (RuntimeException) failure;
    }

    /** A callback executor that throws on every task, as a full or broken pool would. */
    private static final class RefusingExecutor extends AbstractExecutorService {
        private final Supplier<Throwable> failure;
        private volatile boolean shutdown;

        RefusingExecutor(Supplier<Throwable> failure) {
            this.failure = failure;
        }

        @Override
        public void execute(Runnable command) {
            throwUnchecked(failure.get());
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public java.util.List<Runnable> shutdownNow() {
            shutdown = true;
            return java.util.List.of();
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
    }
}
