package dev.sqlitemetrics.testkit.internal.report;

import dev.sqlitemetrics.testkit.LevelResult;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The per-level columns every table format shows, in one place, so the text, CSV and HTML tables
 * cannot drift apart and every count that can break a promise has a column of its own.
 */
final class LevelColumns {

    /**
     * One column.
     *
     * @param name      the CSV header and JSON-style name
     * @param label     the short header of the text and HTML tables
     * @param width     the text table's width
     * @param value     the level's value, formatted
     * @param violation whether a non-zero value is a violation whatever the thresholds
     */
    record Column(String name, String label, int width, Function<LevelResult, String> value, boolean violation) {
        /** Whether this column shows a problem for {@code level}. */
        boolean flags(LevelResult level) {
            String shown = value.apply(level);
            return violation && !shown.equals("0");
        }
    }

    /** What happened to the records: every count that can break a promise has a column. */
    static final List<Column> RECORDS = List.of(
            count("writers", "writers", 7, LevelResult::writers, false),
            count("attempted", "attempted", 9, LevelResult::attempted, false),
            count("acknowledged", "acked", 9, LevelResult::acknowledged, false),
            count("notWritten", "notwr", 7, LevelResult::notWritten, false),
            count("unknown", "unknown", 7, LevelResult::unknown, false),
            count("lost", "lost", 6, LevelResult::lost, true),
            count("duplicated", "dup", 5, LevelResult::duplicated, true),
            count("unexpected", "unexp", 5, LevelResult::unexpected, true),
            count("altered", "alter", 5, LevelResult::altered, true),
            count("presentNotWritten", "nw-pres", 7, LevelResult::presentNotWritten, true),
            count("changedAfterClose", "late", 5, LevelResult::changedAfterClose, true),
            count("anonymousChanged", "anon", 4, LevelResult::anonymousChanged, true),
            count("foreignExceptions", "frgn", 4, LevelResult::foreignExceptions, true));

    /** How long the calls took, and how many records a second were acknowledged. */
    static final List<Column> LATENCY = List.of(
            count("writers", "writers", 7, LevelResult::writers, false),
            millis("p50Ms", "p50 ms", LevelResult::p50Ms),
            millis("p95Ms", "p95 ms", LevelResult::p95Ms),
            millis("p99Ms", "p99 ms", LevelResult::p99Ms),
            millis("p999Ms", "p99.9 ms", LevelResult::p999Ms),
            millis("maxMs", "max ms", LevelResult::maxMs),
            millis("failedP99Ms", "fail p99", level -> level.failedLatency().p99Ms()),
            new Column("throughputPerSec", "records/s", 10,
                    level -> String.format(Locale.ROOT, "%.0f", level.throughputPerSec()), false));

    /** Every column once, in the order of the text and CSV tables. */
    static final List<Column> ALL = java.util.stream.Stream.concat(RECORDS.stream(), LATENCY.stream().skip(1)).toList();

    private LevelColumns() {
    }

    /** The failures of a level as {@code OUTCOME:CODE=n}, joined by {@code separator}. */
    static String failures(LevelResult level, String separator) {
        return level.failuresByCode().entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue())
                .collect(Collectors.joining(separator));
    }

    private static Column count(String name, String label, int width, Function<LevelResult, Number> value,
                                boolean violation) {
        return new Column(name, label, width, level -> String.valueOf(value.apply(level)), violation);
    }

    private static Column millis(String name, String label, Function<LevelResult, Double> value) {
        return new Column(name, label, 9, level -> String.format(Locale.ROOT, "%.1f", value.apply(level)), false);
    }
}
