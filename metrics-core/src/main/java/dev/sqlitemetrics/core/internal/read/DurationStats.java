package dev.sqlitemetrics.core.internal.read;

import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.util.zip.DataFormatException;

/**
 * The figures of one group of rows: how many, how many with a duration, the exact longest, and an
 * HdrHistogram of the durations (three significant digits: a percentile is within 0.1% of its exact
 * value). Mergeable and storable, so per-day roll-ups keep their percentiles. Internal: not part of the API.
 */
final class DurationStats {
    static final int SIGNIFICANT_DIGITS = 3;
    /** How HdrHistogram's compressed encoding begins (its cookie, word size masked out). */
    private static final int COMPRESSED_COOKIE = 0x1c849304;
    /** Durations are recorded in microseconds: the histogram counts integers. */
    private static final double MICROS_PER_MILLI = 1_000.0;

    long count;
    long withDuration;
    double max = Double.NaN;
    /** The exact shortest of the rows added one by one; NaN when none had a duration. */
    private double min = Double.NaN;
    /** Whether stored figures were merged in: their shortest is known only to the histogram's precision. */
    private boolean mergedStored;
    Histogram durations = new Histogram(SIGNIFICANT_DIGITS);

    /** Adds one row, whose {@code duration_ms} column held {@code duration} (anything not a finite number: none). */
    void add(Object duration) {
        count++;
        if (duration instanceof Number number && Double.isFinite(number.doubleValue())) {
            double millis = Math.max(0, number.doubleValue());
            withDuration++;
            max = Double.isNaN(max) ? millis : Math.max(max, millis);
            min = Double.isNaN(min) ? millis : Math.min(min, millis);
            durations.recordValue(Math.round(millis * MICROS_PER_MILLI));
        }
    }

    /** Adds figures stored earlier. */
    void merge(long storedCount, long storedWithDuration, double storedMax, byte[] storedHistogram) throws SQLException {
        count += storedCount;
        withDuration += storedWithDuration;
        mergedStored |= storedWithDuration > 0;
        if (!Double.isNaN(storedMax)) {
            max = Double.isNaN(max) ? storedMax : Math.max(max, storedMax);
        }
        durations.add(decode(storedHistogram));
    }

    /** Adds another group's figures. */
    void merge(DurationStats other) {
        count += other.count;
        withDuration += other.withDuration;
        mergedStored |= other.mergedStored;
        if (!Double.isNaN(other.min)) {
            min = Double.isNaN(min) ? other.min : Math.min(min, other.min);
        }
        if (!Double.isNaN(other.max)) {
            max = Double.isNaN(max) ? other.max : Math.max(max, other.max);
        }
        durations.add(other.durations);
    }

    /**
     * The duration at {@code percentile}, milliseconds; NaN when no row had one. HdrHistogram answers
     * with the highest value of the percentile's bucket, which can lie above the longest duration
     * (3201.02 for a longest of 3200): it is held within the exact shortest and longest.
     */
    double percentile(double percentile) {
        if (withDuration == 0) {
            return Double.NaN;
        }
        double value = durations.getValueAtPercentile(percentile) / MICROS_PER_MILLI;
        double lowest = mergedStored || Double.isNaN(min) ? durations.getMinValue() / MICROS_PER_MILLI : min;
        return Math.max(lowest, Double.isNaN(max) ? value : Math.min(value, max));
    }

    /**
     * The histogram for storing, in HdrHistogram's plain V2 encoding (zero runs already collapsed).
     * Not its compressed one: pruning merges a stored histogram per day, task and outcome in every
     * batch, and inflating and deflating each made a 10-row batch hold the write lock for 15 ms.
     */
    byte[] encodedHistogram() {
        ByteBuffer buffer = ByteBuffer.allocate(durations.getNeededByteBufferCapacity());
        int length = durations.encodeIntoByteBuffer(buffer);
        byte[] bytes = new byte[length];
        buffer.flip();
        buffer.get(bytes);
        return bytes;
    }

    /** Figures as stored, read back. */
    static DurationStats stored(long count, long withDuration, double max, byte[] histogram) throws SQLException {
        DurationStats stats = new DurationStats();
        stats.merge(count, withDuration, max, histogram);
        return stats;
    }

    /** A stored histogram: plain, or compressed as earlier versions stored it. */
    private static Histogram decode(byte[] bytes) throws SQLException {
        if (bytes == null || bytes.length == 0) {
            return new Histogram(SIGNIFICANT_DIGITS);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try {
            boolean compressed = bytes.length >= 4 && (buffer.getInt(0) & ~0xf0) == COMPRESSED_COOKIE;
            return compressed ? Histogram.decodeFromCompressedByteBuffer(buffer, 0) : Histogram.decodeFromByteBuffer(buffer, 0);
        } catch (DataFormatException | RuntimeException e) {
            throw new SQLException("a stored duration histogram cannot be read: " + e.getMessage(), e);
        }
    }
}
