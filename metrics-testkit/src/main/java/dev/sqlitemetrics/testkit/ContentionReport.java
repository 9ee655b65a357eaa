package dev.sqlitemetrics.testkit;

import dev.sqlitemetrics.core.StoreConfig;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The immutable result of a contention run: one {@link LevelResult} per writer count, plus the
 * run's integrity, breaking point and elapsed time. Failures of the writer under test are data
 * here; failures of the harness itself were thrown instead.
 *
 * @param schemaVersion version of this report's JSON shape
 * @param config        the recorder configuration (its file or table is that of the first level)
 * @param scenario      what was run
 * @param levels        one result per writer count, ascending
 * @param integrityOk   whether every level's database passed {@code PRAGMA integrity_check}
 * @param breakingPoint the lowest writer count that violated a threshold; empty when every level passed
 * @param elapsed       wall time of the whole run
 */
public record ContentionReport(int schemaVersion, StoreConfig config, Scenario scenario, List<LevelResult> levels,
                               boolean integrityOk, OptionalInt breakingPoint, Duration elapsed) {

    /** The current JSON shape's version. */
    public static final int SCHEMA_VERSION = 1;

    /** Copies the levels. */
    public ContentionReport {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(breakingPoint, "breakingPoint");
        levels = List.copyOf(levels);
    }

    /** A report over {@code levels}, computing integrity and breaking point from them. */
    public static ContentionReport of(StoreConfig config, Scenario scenario, List<LevelResult> levels, Duration elapsed) {
        List<LevelResult> sorted = levels.stream().sorted(Comparator.comparingInt(LevelResult::writers)).toList();
        OptionalInt breakingPoint = sorted.stream().filter(level -> !level.passed()).mapToInt(LevelResult::writers)
                .findFirst();
        boolean integrity = sorted.stream().allMatch(LevelResult::integrityOk);
        return new ContentionReport(SCHEMA_VERSION, config, scenario, sorted, integrity, breakingPoint, elapsed);
    }

    /** Whether every level met the thresholds. */
    public boolean passed() {
        return breakingPoint.isEmpty() && integrityOk;
    }
}
