package dev.sqlitemetrics.core.internal.read;

import dev.sqlitemetrics.core.GroupBy;
import dev.sqlitemetrics.core.SummaryGroup;
import org.HdrHistogram.Histogram;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Folds rows (ts, task, outcome, duration_ms) into summary groups in one pass: a count, an exact
 * maximum and an HdrHistogram of durations per group, so memory grows with the groups, not the
 * rows. Internal: not part of the API.
 */
public final class Summarizer {
    /** Three significant digits: a percentile is reported within 0.1% of its exact value. */
    static final int SIGNIFICANT_DIGITS = 3;
    /** Durations are recorded in microseconds: the histogram counts integers. */
    private static final double MICROS_PER_MILLI = 1_000.0;

    private final boolean byTask;
    private final boolean byOutcome;
    private final ChronoUnit bucket;
    private final ReadDialect dialect;
    private final Map<Key, Group> groups = new HashMap<>();

    private record Key(String task, String outcome, Instant bucket) {
    }

    private static final class Group {
        long count;
        long withDuration;
        double max = Double.NaN;
        final Histogram durations = new Histogram(SIGNIFICANT_DIGITS);
    }

    /** @throws IllegalArgumentException if {@code groupBy} holds more than one time bucket */
    public Summarizer(Set<GroupBy> groupBy, ReadDialect dialect) {
        this.byTask = groupBy.contains(GroupBy.TASK);
        this.byOutcome = groupBy.contains(GroupBy.OUTCOME);
        List<ChronoUnit> units = new ArrayList<>();
        if (groupBy.contains(GroupBy.MINUTE)) {
            units.add(ChronoUnit.MINUTES);
        }
        if (groupBy.contains(GroupBy.HOUR)) {
            units.add(ChronoUnit.HOURS);
        }
        if (groupBy.contains(GroupBy.DAY)) {
            units.add(ChronoUnit.DAYS);
        }
        if (units.size() > 1) {
            throw new IllegalArgumentException("groupBy may hold one time bucket, was " + groupBy);
        }
        this.bucket = units.isEmpty() ? null : units.get(0);
        this.dialect = dialect;
    }

    /** Adds every row of {@code rows} (ts, task, outcome, duration_ms). */
    public void addAll(ResultSet rows) throws SQLException {
        while (rows.next()) {
            Instant time = bucket == null ? null : dialect.time(rows, 1);
            Key key = new Key(byTask ? rows.getString(2) : null, byOutcome ? rows.getString(3) : null,
                    time == null ? null : time.truncatedTo(bucket));
            Group group = groups.computeIfAbsent(key, k -> new Group());
            group.count++;
            if (rows.getObject(4) instanceof Number duration && Double.isFinite(duration.doubleValue())) {
                double millis = Math.max(0, duration.doubleValue());
                group.withDuration++;
                group.max = Double.isNaN(group.max) ? millis : Math.max(group.max, millis);
                group.durations.recordValue(Math.round(millis * MICROS_PER_MILLI));
            }
        }
    }

    /** The groups, ordered by bucket, task and outcome, rows without one first. */
    public List<SummaryGroup> groups() {
        Map<Key, Long> perTask = new HashMap<>();
        groups.forEach((key, group) -> perTask.merge(new Key(key.task(), null, key.bucket()), group.count, Long::sum));
        Comparator<String> text = Comparator.nullsFirst(Comparator.naturalOrder());
        Comparator<Key> order = Comparator.comparing(Key::bucket, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
                .thenComparing(Key::task, text).thenComparing(Key::outcome, text);
        List<SummaryGroup> out = new ArrayList<>();
        groups.entrySet().stream().sorted(Map.Entry.comparingByKey(order)).forEach(entry -> {
            Key key = entry.getKey();
            Group group = entry.getValue();
            long taskTotal = Objects.requireNonNull(perTask.get(new Key(key.task(), null, key.bucket())));
            out.add(new SummaryGroup(key.task(), key.outcome(), key.bucket(), group.count,
                    (double) group.count / taskTotal, group.withDuration, percentile(group, 50), percentile(group, 95),
                    percentile(group, 99), group.max));
        });
        return out;
    }

    private static double percentile(Group group, double percentile) {
        if (group.withDuration == 0) {
            return Double.NaN;
        }
        return group.durations.getValueAtPercentile(percentile) / MICROS_PER_MILLI;
    }
}
