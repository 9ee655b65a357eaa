package dev.sqlitemetrics.testkit;

import java.util.List;
import java.util.Map;

/**
 * What one level of a contention run showed, checked by record identity and content. Latency
 * figures without a prefix are of acknowledged calls; failed calls have their own.
 *
 * @param writers              simultaneous writers
 * @param attempted            calls made
 * @param acknowledged         calls that reported success
 * @param failed               calls that reported failure: {@code notWritten + unknown}
 * @param notWritten           calls that reported their record definitely not written
 * @param unknown              calls whose outcome is unknown (including exceptions not of the library's types)
 * @param lost                 acknowledged records absent from the table once the writers had their answers
 * @param duplicated           extra copies of ids present more than once
 * @param unexpected           rows whose id (as stored, spelling included) was never attempted
 * @param altered              rows of attempted ids whose message, task or outcome differ from what was asked
 * @param presentNotWritten    records reported definitely not written but present
 * @param changedAfterClose    rows that appeared, vanished or changed between the writers' last answer and
 *                             the end of {@code close()}: acknowledged means committed, not committed later
 * @param anonymousChanged     rows without an id (other clients' rows, the prefill) added, removed or changed
 * @param foreignExceptions    calls that threw something other than the library's exception types
 * @param p50Ms                median latency of acknowledged calls
 * @param p95Ms                95th percentile latency of acknowledged calls
 * @param p99Ms                99th percentile latency of acknowledged calls
 * @param p999Ms               99.9th percentile latency of acknowledged calls
 * @param maxMs                slowest acknowledged call
 * @param failedLatency        latency of failed calls
 * @param throughputPerSec     acknowledged records per second, from the release of the writers to the last
 *                             acknowledgement (across every process)
 * @param drainMs              from the release of the writers to the last call's return
 * @param failuresByCode       failed calls by outcome and result name, e.g. {@code NOT_WRITTEN:SQLITE_BUSY}
 * @param integrityOk          whether {@code PRAGMA integrity_check} returned exactly {@code ok}
 * @param violations           the thresholds and promises this level broke, in words; empty when it passed
 */
public record LevelResult(int writers, long attempted, long acknowledged, long failed, long notWritten, long unknown,
                          long lost, long duplicated, long unexpected, long altered, long presentNotWritten,
                          long changedAfterClose, long anonymousChanged, long foreignExceptions,
                          double p50Ms, double p95Ms, double p99Ms, double p999Ms, double maxMs, Latency failedLatency,
                          double throughputPerSec, double drainMs, Map<String, Long> failuresByCode,
                          boolean integrityOk, List<String> violations) {

    /**
     * Latency percentiles of a group of calls, in milliseconds; zeros when the group is empty.
     *
     * @param p50Ms median
     * @param p99Ms 99th percentile
     * @param maxMs slowest
     */
    public record Latency(double p50Ms, double p99Ms, double maxMs) {
        /** No calls. */
        public static final Latency NONE = new Latency(0, 0, 0);
    }

    /** Copies the collections. */
    public LevelResult {
        failuresByCode = Map.copyOf(failuresByCode);
        violations = List.copyOf(violations);
    }

    /** Whether this level met every threshold and lost, duplicated, altered, invented and corrupted nothing. */
    public boolean passed() {
        return violations.isEmpty();
    }

    /**
     * Whether the table holds exactly what the writers were told: nothing lost, duplicated, altered or
     * invented, nothing present that was reported not written, nothing changed after the answers or
     * to other clients' rows, integrity ok, every failure one of the library's types, and every
     * outcome known.
     */
    public boolean keptEverything() {
        return lost == 0 && duplicated == 0 && unexpected == 0 && altered == 0 && presentNotWritten == 0
                && changedAfterClose == 0 && anonymousChanged == 0 && foreignExceptions == 0 && unknown == 0
                && integrityOk;
    }
}
