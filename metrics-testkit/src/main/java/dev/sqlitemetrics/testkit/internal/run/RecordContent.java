package dev.sqlitemetrics.testkit.internal.run;

/**
 * A short fingerprint of what a record says (its message, task and outcome), so that the check can
 * compare what a writer asked to store with what the table holds without carrying the text itself
 * through child-process output. Internal.
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

    /** The fingerprint of a row or a request, as 16 hex digits; {@code null} fields count as absent, not as empty text. */
    public static String hash(String msg, String task, String outcome) {
        long hash = OFFSET;
        hash = field(hash, msg);
        hash = field(hash, task);
        hash = field(hash, outcome);
        String hex = Long.toHexString(hash);
        return "0".repeat(16 - hex.length()) + hex;
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
