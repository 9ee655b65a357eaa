package dev.sqlitemetrics.testkit.internal.run;

/**
 * One call of a writer: the id it tried to write, the fingerprint of the content it asked for, what
 * the call reported, and when. Internal: not part of the API.
 *
 * @param id       the record id's text, exactly as the writer sent it or the recorder returned it, or
 *                 {@link #UNKNOWN_ID} for a plain {@code record(msg)} that failed without naming its record
 * @param status   what the call reported
 * @param code     the failure's result name ({@code SQLITE_BUSY}, {@code NO_CODE}, or {@code FOREIGN_<type>}
 *                 for an exception that is not the library's), or {@code null} when ok
 * @param nanos    the call's latency
 * @param endNanos when the call returned, on the {@link System#nanoTime()} clock (shared by the
 *                 processes of one host on the platforms the testkit runs on)
 * @param content  {@link RecordContent#hash} of the message, task, outcome, duration and attributes the
 *                 writer asked to store
 * @param startMillis when the call began, on the wall clock (what a stored time is compared with), or -1
 * @param endMillis   when it was answered (an async call: when its future completed), on the wall clock, or -1
 */
public record Attempt(String id, Status status, String code, long nanos, long endNanos, String content,
                      long startMillis, long endMillis) {

    /** The id of an attempt whose record id is not known: its row is found by its content. */
    public static final String UNKNOWN_ID = "-";

    /** An attempt whose wall-clock times are not known: its stored time is not checked. */
    public Attempt(String id, Status status, String code, long nanos, long endNanos, String content) {
        this(id, status, code, nanos, endNanos, content, -1, -1);
    }

    /** Whether the record id is known. */
    public boolean idKnown() {
        return !UNKNOWN_ID.equals(id);
    }

    /** Whether the call's wall-clock times are known, so its stored time can be checked. */
    public boolean timed() {
        return startMillis >= 0 && endMillis >= startMillis;
    }

    /** Prefix of a failure code for an exception that is not one of the library's types. */
    public static final String FOREIGN = "FOREIGN_";

    /** What a call reported. */
    public enum Status {
        /** Acknowledged: must be present exactly once, with the content asked for. */
        OK,
        /** Failed, definitely not written: must be absent. */
        NOT_WRITTEN,
        /** Failed with an unknown outcome: present at most once. */
        UNKNOWN
    }

    /** Whether the call reported success. */
    public boolean ok() {
        return status == Status.OK;
    }

    /** The key of this failure in a level's failures: the outcome and the code, one vocabulary for all writers. */
    public String failureKey() {
        return status + ":" + (code == null ? "NO_CODE" : code);
    }

    /** Whether the call threw something other than the library's own exception types. */
    public boolean foreign() {
        return code != null && code.startsWith(FOREIGN);
    }

    /** The line a child JVM prints for this attempt. */
    public String toLine() {
        return "A " + id + " " + status + " " + (code == null ? "-" : code) + " " + nanos + " " + endNanos + " " + content
                + " " + startMillis + " " + endMillis;
    }

    /** Parses {@link #toLine()}; returns {@code null} for any other line. */
    public static Attempt parse(String line) {
        if (!line.startsWith("A ")) {
            return null;
        }
        String[] parts = line.split(" ");
        if (parts.length != 9) {
            throw new IllegalArgumentException("malformed attempt line: " + line);
        }
        return new Attempt(parts[1], Status.valueOf(parts[2]), parts[3].equals("-") ? null : parts[3],
                Long.parseLong(parts[4]), Long.parseLong(parts[5]), parts[6], Long.parseLong(parts[7]),
                Long.parseLong(parts[8]));
    }
}
