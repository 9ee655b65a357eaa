package dev.sqlitemetrics.core;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.UUID;

/**
 * Makes time-ordered record ids in the UUID version 7 layout (RFC 9562): 48 bits of Unix
 * milliseconds, then a 12-bit counter, then 62 random bits.
 *
 * <p>Time-ordered ids append at the right edge of the id index instead of landing at random
 * places in the B-tree, which keeps inserts about three times cheaper than random UUIDs. The
 * counter keeps ids from one process strictly increasing within a millisecond; the random bits
 * keep ids from different processes apart.
 */
public final class RecordIds {
    /** The last id's millisecond (high bits) and counter (low 12 bits), moved by compare-and-set. */
    private static final AtomicLong LAST = new AtomicLong();
    private static final int COUNTER_BITS = 12;
    private static final long COUNTER_MASK = (1L << COUNTER_BITS) - 1;

    private RecordIds() {
    }

    /**
     * A new, unique, time-ordered id. Lock-free: a burst of threads making ids at once retries a
     * compare-and-set instead of queueing on a lock (a contended lock parks threads, which costs
     * more than the id).
     */
    public static UUID next() {
        long next;
        while (true) {
            long now = System.currentTimeMillis();
            long last = LAST.get();
            long lastMillis = last >>> COUNTER_BITS;
            if (now > lastMillis) {
                // A new millisecond starts the counter at a random point of its lower half.
                next = now << COUNTER_BITS | ThreadLocalRandom.current().nextInt(1 << (COUNTER_BITS - 1));
            } else if ((last & COUNTER_MASK) == COUNTER_MASK) {
                // 4096 ids in one millisecond: borrow the next millisecond rather than repeat an id.
                next = (lastMillis + 1) << COUNTER_BITS;
            } else {
                next = last + 1;
            }
            if (LAST.compareAndSet(last, next)) {
                break;
            }
        }
        long millis = next >>> COUNTER_BITS;
        long sequence = next & COUNTER_MASK;
        long random = ThreadLocalRandom.current().nextLong();
        long msb = (millis << 16) | (0x7L << 12) | sequence;
        long lsb = (random & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }
}
