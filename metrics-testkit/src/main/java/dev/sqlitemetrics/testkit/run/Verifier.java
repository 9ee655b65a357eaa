package dev.sqlitemetrics.testkit.run;

import dev.sqlitemetrics.testkit.LevelResult;
import dev.sqlitemetrics.testkit.Thresholds;
import org.HdrHistogram.Histogram;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Turns a level's attempts and the table's rows into a {@link LevelResult}, by identity: every
 * acknowledged id must be present exactly once, and no row may carry an id never attempted.
 * Internal.
 */
public final class Verifier {
    private Verifier() {
    }

    /** Reads the ids in {@code table} (with their copies) and the integrity check, on a fresh connection. */
    public static LevelResult verify(Path db, String table, int writers, List<Attempt> attempts, long drainNanos,
                                     Thresholds thresholds) throws SQLException {
        DatabaseSnapshot snapshot;
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            snapshot = DatabaseSnapshot.read(connection, table);
        }
        return evaluate(writers, attempts, snapshot.copies(), snapshot.integrityOk(), drainNanos, thresholds);
    }

    /** The arithmetic of a level, apart from any database: the part the fake-recorder tests check. */
    public static LevelResult evaluate(int writers, List<Attempt> attempts, Map<String, Integer> present,
                                       boolean integrityOk, long drainNanos, Thresholds thresholds) {
        Histogram latency = new Histogram(TimeUnit.MINUTES.toNanos(30), 3);
        Set<String> attempted = new HashSet<>();
        Map<String, Long> failuresByCode = new TreeMap<>();
        long acknowledged = 0;
        long failed = 0;
        long lost = 0;
        long falselyNotWritten = 0;
        for (Attempt attempt : attempts) {
            UUID id = attempt.id();
            attempted.add(id.toString());
            latency.recordValue(Math.min(Math.max(0, attempt.nanos()), latency.getHighestTrackableValue()));
            if (attempt.ok()) {
                acknowledged++;
                if (!present.containsKey(id.toString())) {
                    lost++;
                }
            } else {
                failed++;
                failuresByCode.merge(attempt.code() == null ? "UNKNOWN" : attempt.code(), 1L, Long::sum);
                if (attempt.status() == Attempt.Status.NOT_WRITTEN && present.containsKey(id.toString())) {
                    falselyNotWritten++;
                }
            }
        }
        long duplicated = 0;
        long unexpected = 0;
        for (Map.Entry<String, Integer> row : present.entrySet()) {
            duplicated += row.getValue() - 1;
            if (!attempted.contains(row.getKey())) {
                unexpected += row.getValue();
            }
        }
        double seconds = drainNanos / 1e9;
        double p99Ms = millis(latency.getValueAtPercentile(99));
        List<String> violations = new ArrayList<>();
        if (failed > thresholds.maxFailures()) {
            violations.add(failed + " failed > maxFailures " + thresholds.maxFailures());
        }
        if (lost > thresholds.maxLost()) {
            violations.add(lost + " lost > maxLost " + thresholds.maxLost());
        }
        if (falselyNotWritten > 0) {
            violations.add(falselyNotWritten + " reported not written but present");
        }
        if (duplicated > 0) {
            violations.add(duplicated + " duplicated");
        }
        if (unexpected > 0) {
            violations.add(unexpected + " rows never attempted");
        }
        if (!integrityOk) {
            violations.add("integrity_check failed");
        }
        if (thresholds.maxP99() != null && p99Ms > thresholds.maxP99().toNanos() / 1e6) {
            violations.add(String.format(java.util.Locale.ROOT, "p99 %.1fms > maxP99 %dms", p99Ms, thresholds.maxP99().toMillis()));
        }
        return new LevelResult(writers, attempts.size(), acknowledged, failed, lost, duplicated, unexpected,
                millis(latency.getValueAtPercentile(50)), millis(latency.getValueAtPercentile(95)), p99Ms,
                millis(latency.getMaxValue()), seconds > 0 ? acknowledged / seconds : 0, drainNanos / 1e6,
                failuresByCode, integrityOk, violations);
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
