package dev.sqlitemetrics.core;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link MetricsForwarder} ships where, as plain data: the local SQLite file (its table) and
 * the PostgreSQL table it ships to (by default {@code messages}, the PostgreSQL recorder's own, so
 * forwarded and directly recorded completions live together).
 *
 * <pre>{@code
 * ForwarderConfig config = ForwarderConfig.builder(SqliteConfig.defaults(Path.of("metrics.db")),
 *         PostgresConfig.builder("jdbc:postgresql://db.example/metrics").user("metrics").build())
 *         .deleteShippedAfter(Duration.ofDays(7)).build();
 * }</pre>
 *
 * @param source             the local file, with the settings its recorders use (busy timeout, synchronous)
 * @param target             the server and table; its retry deadline bounds {@link MetricsForwarder#forwardAll()}
 * @param batchSize          most rows shipped in one server transaction, default {@value #DEFAULT_BATCH_SIZE}
 * @param pollInterval       how often a running forwarder looks for new rows once caught up, default {@value #DEFAULT_POLL_INTERVAL_MS}ms
 * @param maxBackoff         longest wait between two tries while the server is down, default {@value #DEFAULT_MAX_BACKOFF_MS}ms
 * @param deleteShippedAfter delete local rows this long after they were recorded once shipped (never an
 *                           unshipped one), or {@code null} to keep them (the default)
 */
public record ForwarderConfig(SqliteConfig source, PostgresConfig target, int batchSize, Duration pollInterval,
                              Duration maxBackoff, Duration deleteShippedAfter) {

    /** Default rows per server transaction: large enough that a backlog drains at the server's batch speed. */
    public static final int DEFAULT_BATCH_SIZE = 5_000;
    /** Most rows per server transaction. */
    public static final int MAX_BATCH_SIZE = 100_000;
    /** Default wait between two looks for new rows. */
    public static final long DEFAULT_POLL_INTERVAL_MS = 500;
    /** Default longest wait between two tries while the server is down. */
    public static final long DEFAULT_MAX_BACKOFF_MS = 30_000;

    /** Checks every invariant; messages read {@code <setting> must be <constraint>, was <value>}. */
    public ForwarderConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("batchSize must be in [1, " + MAX_BATCH_SIZE + "], was " + batchSize);
        }
        if (pollInterval.toMillis() < 1 || pollInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("pollInterval must be in [1ms, 1h], was " + pollInterval.toMillis() + "ms");
        }
        if (maxBackoff.toMillis() < 500 || maxBackoff.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("maxBackoff must be in [500ms, 1h], was " + maxBackoff.toMillis() + "ms");
        }
        if (deleteShippedAfter != null && (deleteShippedAfter.isNegative() || deleteShippedAfter.isZero())) {
            throw new IllegalArgumentException("deleteShippedAfter must be positive or null, was " + deleteShippedAfter);
        }
    }

    /** A builder that ships {@code source}'s table to {@code target}'s, starting from every default. */
    public static Builder builder(SqliteConfig source, PostgresConfig target) {
        return new Builder(Objects.requireNonNull(source, "source"), Objects.requireNonNull(target, "target"));
    }

    /** Collects settings; {@link #build()} checks them all at once. Not thread-safe. */
    public static final class Builder {
        private final SqliteConfig source;
        private final PostgresConfig target;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private Duration pollInterval = Duration.ofMillis(DEFAULT_POLL_INTERVAL_MS);
        private Duration maxBackoff = Duration.ofMillis(DEFAULT_MAX_BACKOFF_MS);
        private Duration deleteShippedAfter;

        private Builder(SqliteConfig source, PostgresConfig target) {
            this.source = source;
            this.target = target;
        }

        /** Most rows per server transaction. */
        public Builder batchSize(int value) {
            this.batchSize = value;
            return this;
        }

        /** How often a running forwarder looks for new rows once caught up. */
        public Builder pollInterval(Duration value) {
            this.pollInterval = value;
            return this;
        }

        /** The longest wait between two tries while the server is down. */
        public Builder maxBackoff(Duration value) {
            this.maxBackoff = value;
            return this;
        }

        /** Deletes shipped local rows this long after they were recorded; {@code null} keeps them. */
        public Builder deleteShippedAfter(Duration value) {
            this.deleteShippedAfter = value;
            return this;
        }

        /** The config; throws {@link IllegalArgumentException} naming the first setting out of range. */
        public ForwarderConfig build() {
            return new ForwarderConfig(source, target, batchSize, pollInterval, maxBackoff, deleteShippedAfter);
        }
    }
}
