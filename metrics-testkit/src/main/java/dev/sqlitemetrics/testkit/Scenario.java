package dev.sqlitemetrics.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a contention run does: which writer, how many writers per level, where they live, and what
 * counts as passing. Every level runs on a fresh database file; all writers of a level are released
 * at one barrier so they really collide.
 *
 * @param writerCounts     the ladder of simultaneous writers, ascending, each at least 1
 * @param recordsPerWriter records each writer writes, at least 1
 * @param writer           what writes
 * @param processes        0: writers are threads of this JVM; otherwise each level's writers are spread
 *                         over this many child JVMs (same {@code java} and classpath)
 * @param prefillRows      rows inserted before the writers start (a populated table, as other clients leave it)
 * @param lockHog          another connection holding the write lock during the level, or {@code null}
 * @param thresholds       what a level may show and still pass
 * @param naiveBusyTimeout the naive writer's busy timeout (sqlite-jdbc's default is 3000ms)
 * @param warmUpRecords    records each writer thread first writes to a scratch database beside the
 *                         real one, in every JVM, before the barrier: the burst then meets
 *                         compiled code, as in a service that has been running, instead of a cold
 *                         JVM (0, the default: no warm-up, as in freshly spawned processes)
 * @param levelTimeout     how long one level may take, from starting its writers to the end of
 *                         {@code close()}; a writer still busy then fails the run, named with its stack
 * @param calls            which of the recorder's write methods its writers call, default {@link Calls#MIX}
 *                         (every one); the other writers ignore it
 */
public record Scenario(List<Integer> writerCounts, int recordsPerWriter, WriterKind writer, int processes,
                       int prefillRows, LockHog lockHog, Thresholds thresholds, Duration naiveBusyTimeout,
                       int warmUpRecords, Duration levelTimeout, Calls calls) {

    /** sqlite-jdbc's own default busy timeout, which a naive writer that sets none runs with. */
    public static final Duration DRIVER_DEFAULT_BUSY_TIMEOUT = Duration.ofMillis(3000);
    /** The default level timeout: far beyond any burst that passes, short enough that a hang ends. */
    public static final Duration DEFAULT_LEVEL_TIMEOUT = Duration.ofMinutes(10);
    /** The default ladder: where the naive writer starts to lose records on two cores. */
    public static final List<Integer> DEFAULT_LADDER = List.of(10, 100, 500, 1000);

    /** Checks every invariant. */
    public Scenario {
        Objects.requireNonNull(writerCounts, "writerCounts");
        Objects.requireNonNull(writer, "writer");
        Objects.requireNonNull(thresholds, "thresholds");
        Objects.requireNonNull(naiveBusyTimeout, "naiveBusyTimeout");
        Objects.requireNonNull(levelTimeout, "levelTimeout");
        Objects.requireNonNull(calls, "calls");
        writerCounts = List.copyOf(writerCounts);
        if (writerCounts.isEmpty()) {
            throw new IllegalArgumentException("writerCounts must not be empty, was []");
        }
        for (int i = 0; i < writerCounts.size(); i++) {
            if (writerCounts.get(i) < 1 || (i > 0 && writerCounts.get(i) <= writerCounts.get(i - 1))) {
                throw new IllegalArgumentException("writerCounts must be ascending and at least 1, was " + writerCounts);
            }
        }
        if (recordsPerWriter < 1) {
            throw new IllegalArgumentException("recordsPerWriter must be at least 1, was " + recordsPerWriter);
        }
        if (processes < 0) {
            throw new IllegalArgumentException("processes must be at least 0, was " + processes);
        }
        if (prefillRows < 0) {
            throw new IllegalArgumentException("prefillRows must be at least 0, was " + prefillRows);
        }
        if (warmUpRecords < 0) {
            throw new IllegalArgumentException("warmUpRecords must be at least 0, was " + warmUpRecords);
        }
        if (levelTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("levelTimeout must be at least 1s, was " + levelTimeout.toMillis() + "ms");
        }
        if (naiveBusyTimeout.isNegative()) {
            throw new IllegalArgumentException("naiveBusyTimeout must not be negative, was " + naiveBusyTimeout.toMillis() + "ms");
        }
    }

    /** A builder starting from one recorder writer per level of the default ladder, in this JVM. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this scenario's values. */
    public Builder toBuilder() {
        return new Builder().writerCounts(writerCounts).recordsPerWriter(recordsPerWriter).writer(writer)
                .processes(processes).prefillRows(prefillRows).lockHog(lockHog).thresholds(thresholds)
                .naiveBusyTimeout(naiveBusyTimeout).warmUpRecords(warmUpRecords).levelTimeout(levelTimeout).calls(calls);
    }

    /** Collects a scenario's settings. Not thread-safe. */
    public static final class Builder {
        private List<Integer> writerCounts = DEFAULT_LADDER;
        private int recordsPerWriter = 1;
        private WriterKind writer = WriterKind.RECORDER;
        private int processes;
        private int prefillRows;
        private LockHog lockHog;
        private Thresholds thresholds = Thresholds.NOTHING_LOST;
        private Duration naiveBusyTimeout = DRIVER_DEFAULT_BUSY_TIMEOUT;
        private int warmUpRecords;
        private Duration levelTimeout = DEFAULT_LEVEL_TIMEOUT;
        private Calls calls = Calls.MIX;

        private Builder() {
        }

        /** Which of the recorder's write methods the writers call. */
        public Builder calls(Calls value) {
            this.calls = value;
            return this;
        }

        /** The ladder of writer counts. */
        public Builder writerCounts(List<Integer> value) {
            this.writerCounts = value;
            return this;
        }

        /** A ladder given as counts. */
        public Builder writerCounts(Integer... value) {
            return writerCounts(List.of(value));
        }

        public Builder recordsPerWriter(int value) {
            this.recordsPerWriter = value;
            return this;
        }

        public Builder writer(WriterKind value) {
            this.writer = value;
            return this;
        }

        /** Spread writers over this many child JVMs (0: threads in this JVM). */
        public Builder processes(int value) {
            this.processes = value;
            return this;
        }

        public Builder prefillRows(int value) {
            this.prefillRows = value;
            return this;
        }

        public Builder lockHog(LockHog value) {
            this.lockHog = value;
            return this;
        }

        public Builder thresholds(Thresholds value) {
            this.thresholds = value;
            return this;
        }

        public Builder naiveBusyTimeout(Duration value) {
            this.naiveBusyTimeout = value;
            return this;
        }

        /** Records per writer thread written to a scratch database before the barrier (0: none). */
        public Builder warmUpRecords(int value) {
            this.warmUpRecords = value;
            return this;
        }

        /** How long one level may take before the run fails naming the writers still busy. */
        public Builder levelTimeout(Duration value) {
            this.levelTimeout = value;
            return this;
        }

        public Scenario build() {
            return new Scenario(writerCounts, recordsPerWriter, writer, processes, prefillRows, lockHog, thresholds,
                    naiveBusyTimeout, warmUpRecords, levelTimeout, calls);
        }
    }
}
