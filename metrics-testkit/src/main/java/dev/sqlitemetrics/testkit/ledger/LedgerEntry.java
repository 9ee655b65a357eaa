package dev.sqlitemetrics.testkit.ledger;

import java.util.UUID;

/**
 * One line of a writer's ledger: {@code INV id} before a call, then {@code OK id},
 * {@code FAIL id code} (definitely not written) or {@code UNKNOWN id code}. A writer killed
 * mid-call leaves its last ids with only an {@code INV}.
 *
 * @param kind what the line says
 * @param id   the record id
 * @param code the SQLite result name of a failure, or {@code null}
 */
public record LedgerEntry(Kind kind, UUID id, String code) {

    /** The kinds of ledger line. */
    public enum Kind { INV, OK, FAIL, UNKNOWN }

    /** The line as a writer prints it. */
    public String toLine() {
        return "L " + kind + " " + id + (code == null ? "" : " " + code);
    }

    /** Parses {@link #toLine()}; returns {@code null} for any other line (and for a line cut short by a kill). */
    public static LedgerEntry parse(String line) {
        if (!line.startsWith("L ")) {
            return null;
        }
        String[] parts = line.split(" ");
        try {
            Kind kind = Kind.valueOf(parts[1]);
            UUID id = UUID.fromString(parts[2]);
            return new LedgerEntry(kind, id, parts.length > 3 ? parts[3] : null);
        } catch (RuntimeException torn) {
            return null;
        }
    }
}
