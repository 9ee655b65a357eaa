package dev.sqlitemetrics.testkit.internal.run;

import dev.sqlitemetrics.testkit.LevelResult;
import dev.sqlitemetrics.testkit.Thresholds;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Turns a level's attempts and three views of the table into a {@link LevelResult}. Every row is
 * accounted for: rows with an id by the id's exact text and their content, rows without an id by
 * count and checksum. The views are: before the writers were released, once every writer had its
 * answers (before {@code close()}: what an acknowledgement promised must be there already), and after
 * {@code close()} (nothing may change then). A row holds what was asked when every field matches
 * (message, task, outcome, duration to the millisecond, attributes) and its time lies within the
 * call: from its start to its answer, give or take {@link #TIME_TOLERANCE}. Internal.
 */
public final class Verifier {
    /**
     * How far a stored time may lie outside its call: the stores keep milliseconds (SQLite's text) or
     * microseconds (PostgreSQL), the wall clock is read in whole milliseconds at each end, and a
     * naive or foreign writer's time is the database's own clock, read a moment apart.
     */
    public static final Duration TIME_TOLERANCE = Duration.ofMillis(5);

    private Verifier() {
    }

    /**
     * The arithmetic of a level, apart from any database: the part the fake-recorder tests check.
     *
     * @param before       the table just before the writers were released
     * @param answered     the table once every writer had returned, before the recorders were closed
     * @param closed       the table after the recorders were closed
     * @param releaseNanos when the writers were released, on the {@link System#nanoTime()} clock
     */
    public static LevelResult evaluate(int writers, List<Attempt> attempts, TableSnapshot before, TableSnapshot answered,
                                       TableSnapshot closed, long releaseNanos, Thresholds thresholds) {
        Histogram ackedLatency = histogram();
        Histogram failedLatency = histogram();
        Map<String, Attempt> byId = new HashMap<>();
        List<Attempt> nameless = new ArrayList<>();
        Map<String, Long> failuresByCode = new TreeMap<>();
        long answeredTwice = 0;
        long lastAck = releaseNanos;
        long lastReturn = releaseNanos;
        for (Attempt attempt : attempts) {
            if (!attempt.idKnown()) {
                nameless.add(attempt);
            } else if (byId.putIfAbsent(attempt.id(), attempt) != null) {
                answeredTwice++;
            }
            (attempt.ok() ? ackedLatency : failedLatency).recordValue(
                    Math.min(Math.max(0, attempt.nanos()), ackedLatency.getHighestTrackableValue()));
            lastReturn = Math.max(lastReturn, attempt.endNanos());
            if (attempt.ok()) {
                lastAck = Math.max(lastAck, attempt.endNanos());
            } else {
                failuresByCode.merge(attempt.failureKey(), 1L, Long::sum);
            }
        }
        Counts counts = new Counts();
        for (Attempt attempt : byId.values()) {
            counts.add(attempt, answered.rowsById().getOrDefault(attempt.id(), List.of()));
        }
        // Rows no attempt names: those of plain records whose id never came back are found by content.
        List<TableSnapshot.Row> unattributed = new ArrayList<>();
        for (Map.Entry<String, List<TableSnapshot.Row>> rows : answered.rowsById().entrySet()) {
            boolean preExisting = rows.getValue().equals(before.rowsById().get(rows.getKey()));
            if (!byId.containsKey(rows.getKey()) && !preExisting) {
                unattributed.addAll(rows.getValue());
            }
        }
        for (Attempt attempt : nameless) {
            List<TableSnapshot.Row> found = new ArrayList<>(1);
            unattributed.stream().filter(row -> row.content().equals(attempt.content())).findFirst().ifPresent(row -> {
                unattributed.remove(row);
                found.add(row);
            });
            counts.add(attempt, found);
        }
        long unexpected = unattributed.size();
        long anonymousChanged = answered.sameAnonymousRows(before) ? 0
                : Math.max(1, Math.abs(answered.anonymous() - before.anonymous()));
        long changedAfterClose = closed.rowsDifferingFrom(answered);
        boolean integrityOk = answered.integrityOk() && closed.integrityOk();

        List<String> violations = new ArrayList<>();
        exceeds(violations, counts.failed(), thresholds.maxFailures(), "failed", "maxFailures");
        exceeds(violations, counts.lost, thresholds.maxLost(), "lost", "maxLost");
        exceeds(violations, counts.unknown, thresholds.maxUnknown(), "of unknown outcome", "maxUnknown");
        promise(violations, counts.presentNotWritten, "reported not written but present");
        promise(violations, counts.duplicated, "duplicated");
        promise(violations, unexpected, "rows whose id (as stored) was never attempted");
        promise(violations, counts.altered, "rows hold other content than their writer asked for");
        promise(violations, counts.mistimed, "rows hold a time outside their call (more than "
                + TIME_TOLERANCE.toMillis() + "ms before it began or after it was answered)");
        promise(violations, changedAfterClose,
                "rows appeared, vanished or changed after the writers had their answers, during close()");
        if (anonymousChanged > 0) {
            violations.add("rows without an id changed: " + before.anonymous() + " before the writers, "
                    + answered.anonymous() + " after" + (before.anonymous() == answered.anonymous() ? ", other content" : ""));
        }
        promise(violations, counts.foreign, "calls threw an exception that is not one of the library's types");
        promise(violations, answeredTwice, "ids answered twice (a harness fault)");
        if (!integrityOk) {
            violations.add("integrity_check returned " + (answered.integrityOk() ? closed.integrity() : answered.integrity()));
        }
        double p99Ms = millis(ackedLatency.getValueAtPercentile(99));
        double p999Ms = millis(ackedLatency.getValueAtPercentile(99.9));
        long slowest = Math.max(ackedLatency.getMaxValue(), failedLatency.getMaxValue());
        tooSlow(violations, "p99", ackedLatency, ackedLatency.getValueAtPercentile(99), thresholds.maxP99(), "maxP99");
        tooSlow(violations, "p99.9", ackedLatency, ackedLatency.getValueAtPercentile(99.9), thresholds.maxP999(), "maxP999");
        tooSlow(violations, "slowest call", ackedLatency, slowest, thresholds.maxLatency(), "maxLatency");

        double ackSeconds = (lastAck - releaseNanos) / 1e9;
        return new LevelResult(writers, attempts.size(), counts.acknowledged, counts.failed(), counts.notWritten,
                counts.unknown, counts.lost, counts.duplicated, unexpected, counts.altered + counts.mistimed,
                counts.presentNotWritten,
                changedAfterClose, anonymousChanged, counts.foreign,
                millis(ackedLatency.getValueAtPercentile(50)), millis(ackedLatency.getValueAtPercentile(95)), p99Ms,
                p999Ms, millis(ackedLatency.getMaxValue()), latency(failedLatency),
                ackSeconds > 0 ? counts.acknowledged / ackSeconds : 0, (lastReturn - releaseNanos) / 1e6,
                failuresByCode, integrityOk, violations);
    }

    /** What the attempts and their rows add up to. */
    private static final class Counts {
        long acknowledged;
        long notWritten;
        long unknown;
        long lost;
        long duplicated;
        long altered;
        long mistimed;
        long presentNotWritten;
        long foreign;

        void add(Attempt attempt, List<TableSnapshot.Row> rows) {
            switch (attempt.status()) {
                case OK -> {
                    acknowledged++;
                    lost += rows.isEmpty() ? 1 : 0;
                }
                case NOT_WRITTEN -> {
                    notWritten++;
                    presentNotWritten += rows.isEmpty() ? 0 : 1;
                }
                case UNKNOWN -> unknown++;
            }
            foreign += attempt.foreign() ? 1 : 0;
            duplicated += Math.max(0, rows.size() - 1);
            altered += rows.stream().filter(row -> !row.content().equals(attempt.content())).count();
            if (attempt.timed()) {
                long tolerance = TIME_TOLERANCE.toMillis();
                mistimed += rows.stream().filter(row -> row.timeMillis() == null
                        || row.timeMillis() < attempt.startMillis() - tolerance
                        || row.timeMillis() > attempt.endMillis() + tolerance).count();
            }
        }

        long failed() {
            return notWritten + unknown;
        }
    }

    private static void exceeds(List<String> violations, long value, long limit, String what, String setting) {
        if (value > limit) {
            violations.add(value + " " + what + " > " + setting + " " + limit);
        }
    }

    private static void promise(List<String> violations, long value, String what) {
        if (value > 0) {
            violations.add(value + " " + what);
        }
    }

    /**
     * Limits are inclusive. A histogram reports the top of a value's bucket (0.1% wide); the limit is
     * compared with the bottom, so a call that took exactly the limit passes.
     */
    private static void tooSlow(List<String> violations, String what, Histogram histogram, long valueNanos,
                                Duration limit, String setting) {
        if (limit != null && histogram.lowestEquivalentValue(valueNanos) > limit.toNanos()) {
            violations.add(String.format(Locale.ROOT, "%s %.1fms > %s %dms", what, millis(valueNanos), setting,
                    limit.toMillis()));
        }
    }

    private static LevelResult.Latency latency(Histogram histogram) {
        return histogram.getTotalCount() == 0 ? LevelResult.Latency.NONE : new LevelResult.Latency(
                millis(histogram.getValueAtPercentile(50)), millis(histogram.getValueAtPercentile(99)),
                millis(histogram.getMaxValue()));
    }

    private static Histogram histogram() {
        return new Histogram(TimeUnit.MINUTES.toNanos(30), 3);
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
