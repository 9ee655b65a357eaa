package dev.sqlitemetrics.core.internal.sqlite.spool;

import dev.sqlitemetrics.core.internal.write.PendingRecord;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A record's bytes in a spool slot: id, time, the recording process, the duration, then each text
 * as its UTF-8 length and bytes (-1 for absent). The process travels with the record so that a
 * leader of another process writes the owner's pid, not its own. Internal: not part of the API.
 */
public final class SpooledRecords {
    private SpooledRecords() {
    }

    /** The record's bytes, or {@code null} if they would not fit in a slot. */
    public static byte[] encode(PendingRecord record) {
        byte[] message = utf8(record.message());
        byte[] task = utf8(record.task());
        byte[] outcome = utf8(record.outcome());
        byte[] attributes = utf8(record.attributesJson());
        int length = 16 + 8 + 8 + 1 + 8 + 16 + size(message) + size(task) + size(outcome) + size(attributes);
        if (length > SharedSpool.PAYLOAD_BYTES) {
            return null;
        }
        ByteBuffer out = ByteBuffer.allocate(length);
        out.putLong(record.id().getMostSignificantBits()).putLong(record.id().getLeastSignificantBits());
        out.putLong(record.timestampMillis());
        out.putLong(record.pid());
        out.put((byte) (record.durationMillis() == null ? 0 : 1));
        out.putDouble(record.durationMillis() == null ? 0 : record.durationMillis());
        put(out, message);
        put(out, task);
        put(out, outcome);
        put(out, attributes);
        return out.array();
    }

    /** The record back, without a caller: only its columns matter to the leader that inserts it. */
    public static PendingRecord decode(byte[] payload) {
        ByteBuffer in = ByteBuffer.wrap(payload);
        UUID id = new UUID(in.getLong(), in.getLong());
        long timestamp = in.getLong();
        long pid = in.getLong();
        boolean hasDuration = in.get() == 1;
        double duration = in.getDouble();
        String message = text(in);
        String task = text(in);
        String outcome = text(in);
        String attributes = text(in);
        return new PendingRecord(id, timestamp, message, task, outcome, hasDuration ? duration : null, attributes,
                pid, null, false, 0);
    }

    private static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    private static int size(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static void put(ByteBuffer out, byte[] bytes) {
        out.putInt(bytes == null ? -1 : bytes.length);
        if (bytes != null) {
            out.put(bytes);
        }
    }

    private static String text(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0) {
            return null;
        }
        String text = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return text;
    }
}
