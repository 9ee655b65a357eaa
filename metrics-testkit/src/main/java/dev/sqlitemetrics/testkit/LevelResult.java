package dev.sqlitemetrics.testkit;

import java.util.List;
import java.util.Map;

/**
 * What one level of a contention run showed, checked by record identity.
 *
 * @param writers          simultaneous writers
 * @param attempted        calls made
 * @param acknowledged     calls that reported success
 * @param failed           calls that reported failure
 * @param lost             acknowledged records absent from the table
 * @param duplicated       extra copies of ids present more than once
 * @param unexpected       rows whose id was never attempted
 * @param p50Ms            median call latency
 * @param p95Ms            95th percentile call latency
 * @param p99Ms            99th percentile call latency
 * @param maxMs            slowest call
 * @param throughputPerSec acknowledged records per second of the level's drain time
 * @param drainMs          from the start barrier to the last writer's return
 * @param failuresByCode   failed calls by SQLite result name (e.g. {@code SQLITE_BUSY})
 * @param integrityOk      whether {@code PRAGMA integrity_check} returned exactly {@code ok}
 * @param violations       the thresholds this level broke, in words; empty when it passed
 */
public record LevelResult(int writers, long attempted, long acknowledged, long failed, long lost, long duplicated,
                          long unexpected, double p50Ms, double p95Ms, double p99Ms, double maxMs,
                          double throughputPerSec, double drainMs, Map<String, Long> failuresByCode,
                          boolean integrityOk, List<String> violations) {

    /** Copies the collections. */
    public LevelResult {
        failuresByCode = Map.copyOf(failuresByCode);
        violations = List.copyOf(violations);
    }

    /** Whether this level met every threshold and lost, duplicated and corrupted nothing. */
    public boolean passed() {
        return violations.isEmpty();
    }
}
