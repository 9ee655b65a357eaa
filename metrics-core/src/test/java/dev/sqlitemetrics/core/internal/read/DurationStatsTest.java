package dev.sqlitemetrics.core.internal.read;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

/** Stored duration figures: written in the plain encoding, read back in it and in the compressed one earlier versions wrote. */
class DurationStatsTest {
    private static DurationStats oneToAHundred() {
        DurationStats stats = new DurationStats();
        for (int millis = 1; millis <= 100; millis++) {
            stats.add(millis);
        }
        stats.add(null);
        return stats;
    }

    @Test
    void storedFiguresReadBackTheSame() throws SQLException {
        DurationStats written = oneToAHundred();
        DurationStats read = DurationStats.stored(written.count, written.withDuration, written.max, written.encodedHistogram());
        assertThat(read.count).isEqualTo(101);
        assertThat(read.withDuration).isEqualTo(100);
        assertThat(read.max).isEqualTo(100);
        assertThat(read.percentile(50)).isCloseTo(50, withinPercentage(0.1));
        assertThat(read.percentile(99)).isCloseTo(99, withinPercentage(0.1));
    }

    @Test
    void aHistogramCompressedByAnEarlierVersionStillReads() throws SQLException {
        Histogram histogram = new Histogram(DurationStats.SIGNIFICANT_DIGITS);
        for (int millis = 1; millis <= 100; millis++) {
            histogram.recordValue(millis * 1_000L);
        }
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        byte[] compressed = new byte[length];
        buffer.flip();
        buffer.get(compressed);

        DurationStats read = DurationStats.stored(100, 100, 100, compressed);
        assertThat(read.percentile(50)).isCloseTo(50, withinPercentage(0.1));
        // Merged with figures in the plain encoding, as a prune after an upgrade does.
        read.merge(oneToAHundred());
        assertThat(read.count).isEqualTo(201);
        assertThat(read.percentile(99)).isCloseTo(99, withinPercentage(0.1));
    }

    @Test
    void noPercentileLiesAboveTheLongestOrBelowTheShortestDuration() throws SQLException {
        DurationStats raw = new DurationStats();
        raw.add(3200.0);
        raw.add(45_000.0);
        raw.add(45_000.0);
        for (double percentile : new double[] {50, 95, 99, 100}) {
            assertThat(raw.percentile(percentile)).isBetween(3200.0, 45_000.0);
        }
        DurationStats alone = new DurationStats();
        alone.add(3200.0);
        assertThat(alone.percentile(95)).isEqualTo(3200.0);
        // Rolled up and read back, the longest is still exact and still bounds every percentile.
        DurationStats stored = DurationStats.stored(raw.count, raw.withDuration, raw.max, raw.encodedHistogram());
        assertThat(stored.percentile(99)).isEqualTo(45_000.0);
        stored.merge(alone);
        assertThat(stored.percentile(99)).isEqualTo(45_000.0);
        assertThat(stored.percentile(1)).isBetween(3200.0, 3200.0 * 1.001);
    }

    @Test
    void bytesThatAreNoHistogramAreRefusedWithAnSqlException() {
        assertThatThrownBy(() -> DurationStats.stored(1, 1, 1, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
                .isInstanceOf(SQLException.class).hasMessageStartingWith("a stored duration histogram cannot be read");
    }
}
