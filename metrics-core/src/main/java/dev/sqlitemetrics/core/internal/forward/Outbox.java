package dev.sqlitemetrics.core.internal.forward;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The local side of forwarding: the rows not yet shipped, in commit order, and the durable mark of
 * what has been. Methods throw {@code StoreFailure}s, classified. One thread at a time, but for
 * {@link #next}. Internal: not part of the API.
 */
public interface Outbox extends AutoCloseable {

    /** The local file's identity: made once, kept in the file, the same for every server it ships to. */
    UUID sourceId();

    /**
     * Names the server the outbox ships to, by the server's own identity (never by how it was
     * reached), and loads what it holds: from here on one forwarder alone ships the file there. A mark
     * kept under {@code earlierName}, how an earlier version named the same server, is adopted.
     * Nothing is written for a server before rows were shipped to it.
     *
     * @param earlierName the server's name in files of an earlier version, or {@code null}
     */
    void attach(String target, String earlierName);

    /** The server's name given to {@link #attach}, or {@code null} before. */
    String target();

    /**
     * Checks that the mark still names the row it was set after. A file whose rows were renumbered
     * (a {@code VACUUM}) or emptied and refilled is read again from its start: the server skips ids
     * it holds. Returns whether that happened.
     */
    boolean checkMark();

    /** The position of the newest row now in the file (0 for none): {@code forwardAll} ships up to it. */
    long lastPosition();

    /** The position of the last row shipped (0 for none). */
    long mark();

    /**
     * Up to {@code max} rows after position {@code after}, in commit order. May run on another thread
     * than the other methods, never beside another call of itself.
     */
    List<ForwardedRow> next(long after, int max);

    /** Durably moves the mark past {@code last}: every row up to it is on the server ({@code rows} of them this time). */
    void markShipped(ForwardedRow last, int rows);

    /** What is left to ship, and what has been shipped. */
    Progress progress();

    /**
     * Deletes rows recorded before {@code before} that are shipped, in small transactions beside live
     * recorders; never a row after the mark. Returns how many.
     */
    long deleteShippedBefore(Instant before);

    @Override
    void close();

    /**
     * @param unshipped        rows after the mark
     * @param oldestUnshipped  the recording time of the first of them, or {@code null}
     * @param shipped          rows shipped so far
     * @param lastShipped      when the mark last moved, or {@code null}
     */
    record Progress(long unshipped, Instant oldestUnshipped, long shipped, Instant lastShipped) {
    }
}
