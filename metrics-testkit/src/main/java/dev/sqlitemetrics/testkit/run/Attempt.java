package dev.sqlitemetrics.testkit.run;

import java.util.UUID;

/**
 * One call of a writer: the id it tried to write, whether it reported success, the failure's
 * SQLite result name, and how long the call took. Internal: not part of the API.
 *
 * @param id      the record id (known even when the call failed)
 * @param ok      whether the call reported success
 * @param code    the failure's result name, or {@code null} when ok
 * @param nanos   the call's latency
 */
public record Attempt(UUID id, boolean ok, String code, long nanos) {

    /** The line a child JVM prints for this attempt. */
    public String toLine() {
        return "A " + id + " " + (ok ? "1" : "0") + " " + (code == null ? "-" : code) + " " + nanos;
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
        return new Attempt(UUID.fromString(parts[1]), parts[2].equals("1"), parts[3].equals("-") ? null : parts[3],
                Long.parseLong(parts[4]));
    }
}
