package dev.sqlitemetrics.testkit.internal.run;

import java.util.Map;

/**
 * A short fingerprint of what a record says (its message, task, outcome, duration to the
 * millisecond, and attributes), so that the check can compare what a writer asked to store with
 * what the table holds without carrying the text itself through child-process output. Attributes
 * enter as their count and the values of the keys the testkit's writers set ({@link #WRITER_KEY},
 * {@link #SEQUENCE_KEY}), read by each store's own JSON functions: the stores spell a JSON object
 * differently, its content is the same. Internal.
 *
 * <p>A 64-bit FNV-1a hash over the fields' characters, each field framed by its length: cheap enough
 * to compute in every writer thread of a burst (a {@code MessageDigest} would look up a security
 * provider per call, under a lock, inside the measured burst). It guards against recorders that
 * store other text by mistake, not against text forged to collide.
 */
public final class RecordContent {
    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private RecordContent() {
    }

    /** The attribute naming the writer thread that made a record. */
    public static final String WRITER_KEY = "writer";
    /** The attribute numbering a writer's records, set on every other one. */
    public static final String SEQUENCE_KEY = "seq";

    /** The fingerprint of a message, task and outcome alone (no duration, no attributes). */
    public static String hash(String msg, String task, String outcome) {
        return hash(msg, task, outcome, null, null);
    }

    /**
     * The fingerprint of a row or a request, as 16 hex digits; {@code null} fields count as absent,
     * not as empty text.
     *
     * @param durationMillis the duration rounded to the millisecond, or {@code null}
     * @param attributes     {@link #attributes(Map)} or {@link #attributes(Long, String, String)}, or {@code null}
     */
    public static String hash(String msg, String task, String outcome, Long durationMillis, String attributes) {
        long hash = OFFSET;
        hash = field(hash, msg);
        hash = field(hash, task);
        hash = field(hash, outcome);
        hash = field(hash, durationMillis == null ? null : durationMillis.toString());
        hash = field(hash, attributes);
        String hex = Long.toHexString(hash);
        return "0".repeat(16 - hex.length()) + hex;
    }

    /** A duration as the fingerprint takes it: milliseconds, rounded. */
    public static Long millis(Double durationMs) {
        return durationMs == null ? null : Math.round(durationMs);
    }

    /** Attributes asked for, as the fingerprint takes them; {@code null} for none. */
    public static String attributes(Map<String, String> asked) {
        return asked.isEmpty() ? null : attributes((long) asked.size(), asked.get(WRITER_KEY), asked.get(SEQUENCE_KEY));
    }

    /** Attributes as a store holds them: how many keys, and the two values; {@code null} for none. */
    public static String attributes(Long count, String writer, String sequence) {
        return count == null || count == 0 ? null : count + "|" + writer + "|" + sequence;
    }

    private static long field(long hash, String value) {
        long h = mix(hash, value == null ? -1 : value.length());
        if (value != null) {
            for (int i = 0; i < value.length(); i++) {
                h = mix(h, value.charAt(i));
            }
        }
        return h;
    }

    private static long mix(long hash, int value) {
        long h = hash;
        for (int shift = 0; shift < 32; shift += 8) {
            h ^= (value >>> shift) & 0xff;
            h *= PRIME;
        }
        return h;
    }
}
