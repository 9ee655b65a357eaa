package dev.sqlitemetrics.core.internal.read;

import dev.sqlitemetrics.core.CompletionFilter;
import dev.sqlitemetrics.core.GroupBy;
import dev.sqlitemetrics.core.SummaryGroup;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Folds rows (ts, task, outcome, duration_ms) into summary groups in one pass, one
 * {@link DurationStats} per group, so memory grows with the groups, not the rows. Internal: not part of the API.
 */
public final class Summarizer {
    private final boolean byTask;
    private final boolean byOutcome;
    private final ChronoUnit bucket;
    private final ReadDialect dialect;
    private final Map<Key, DurationStats> groups = new HashMap<>();

    private record Key(String task, String outcome, Instant bucket) {
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
            groups.computeIfAbsent(key, k -> new DurationStats()).add(rows.getObject(4));
        }
    }

    /**
     * Checks that this summary can take rolled-up days: their rows are kept per day only.
     *
     * @throws IllegalArgumentException if its time bucket is finer than a day
     */
    public void checkRolledUpFits() {
        if (bucket != null && bucket != ChronoUnit.DAYS) {
            throw new IllegalArgumentException("rolled-up rows are kept per day: group by day or by no time bucket, was "
                    + bucket.toString().toLowerCase(Locale.ROOT));
        }
    }

    /** Adds the days of the per-day roll-up table that {@code filter} selects (see {@link DailyTable#forEach}). */
    public void addRolledUp(Connection connection, CompletionFilter filter) throws SQLException {
        checkRolledUpFits();
        new DailyTable(dialect).forEach(connection, filter, this::addRolledUp);
    }

    /** Adds one rolled-up day. */
    void addRolledUp(DailyTable.Key day, DurationStats stats) {
        checkRolledUpFits();
        Key key = new Key(byTask ? DailyTable.shown(day.task()) : null, byOutcome ? DailyTable.shown(day.outcome()) : null,
                bucket == null ? null : day.start());
        groups.computeIfAbsent(key, k -> new DurationStats()).merge(stats);
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
            DurationStats group = entry.getValue();
            long taskTotal = Objects.requireNonNull(perTask.get(new Key(key.task(), null, key.bucket())));
            out.add(new SummaryGroup(key.task(), key.outcome(), key.bucket(), group.count,
                    (double) group.count / taskTotal, group.withDuration, group.percentile(50), group.percentile(95),
                    group.percentile(99), group.max));
        });
        return out;
    }

}
