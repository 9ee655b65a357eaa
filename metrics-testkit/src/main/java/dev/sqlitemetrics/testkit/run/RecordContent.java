package dev.sqlitemetrics.testkit.run;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A short fingerprint of what a record says (its message, task and outcome), so that the check can
 * compare what a writer asked to store with what the table holds without carrying the text itself
 * through child-process output. Internal.
 */
public final class RecordContent {
    private RecordContent() {
    }

    /** The fingerprint of a row or a request; {@code null} fields count as absent, not as empty text. */
    public static String hash(String msg, String task, String outcome) {
        MessageDigest digest = sha256();
        field(digest, msg);
        field(digest, task);
        field(digest, outcome);
        return HexFormat.of().formatHex(digest.digest(), 0, 8);
    }

    private static void field(MessageDigest digest, String value) {
        if (value == null) {
            digest.update((byte) 0);
        } else {
            digest.update((byte) 1);
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            digest.update(java.nio.ByteBuffer.allocate(4).putInt(bytes.length).array());
            digest.update(bytes);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
