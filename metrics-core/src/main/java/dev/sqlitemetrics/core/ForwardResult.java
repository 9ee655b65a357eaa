package dev.sqlitemetrics.core;

import java.time.Duration;

/**
 * What one {@link MetricsForwarder#forwardAll()} shipped.
 *
 * @param rows         rows shipped and marked shipped in the local file
 * @param alreadyThere of those, rows the server held already (shipped before a crash, or recorded
 *                     there directly with the same id), skipped by their id
 * @param batches      server transactions
 * @param elapsed      time it took
 */
public record ForwardResult(long rows, long alreadyThere, int batches, Duration elapsed) {
}
