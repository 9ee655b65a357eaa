package dev.sqlitemetrics.testkit.run;

import java.util.UUID;

/**
 * One call of a writer: the id it tried to write, what the call reported, the failure's SQLite
 * result name, and how long the call took. Internal: not part of the API.
 *
 * @param id     the record id (known even when the call failed)
 * @param status what the call reported
 * @param code   the failure's result name, or {@code null} when ok
 * @param nanos  the call's latency
 */
public record Attempt(UUID id, Status status, String code, long nanos) {

    /** What a call reported. */
    public enum Status {
        /** Acknowledged: must be present exactly once. */
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

    /** The line a child JVM prints for this attempt. */
    public String toLine() {
        return "A " + id + " " + status + " " + (code == null ? "-" : code) + " " + nanos;
    }

    /** Parses {@link #toLine()}; returns {@code null} for any other line. */
    public static Attempt parse(String line) {
        if (!line.startsWith("A ")) {
            return null;
        }
        String[] parts = line.split(" ");
        if (parts.length != 5) {
            throw new IllegalArgumentException("malformed attempt line: " + line);
        }
        return new Attempt(UUID.fromString(parts[1]), Status.valueOf(parts[2]), parts[3].equals("-") ? null : parts[3],
                Long.parseLong(parts[4]));
    }
}
