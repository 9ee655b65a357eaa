package dev.sqlitemetrics.testkit.internal.ledger;

/**
 * One line of a writer's ledger: {@code INV id content} before a call (with the fingerprint of the
 * content it asks to store), then {@code OK id}, {@code FAIL id code} (definitely not written) or
 * {@code UNKNOWN id code}. A writer killed mid-call leaves its last ids with only an {@code INV}.
 *
 * @param kind    what the line says
 * @param id      the record id, exactly as the writer sent it
 * @param code    the result name of a failure, or {@code null}
 * @param content the content fingerprint of an {@code INV} line, or {@code null}
 */
public record LedgerEntry(Kind kind, String id, String code, String content) {

    /** The kinds of ledger line. */
    public enum Kind { INV, OK, FAIL, UNKNOWN }

    /** An invocation of {@code id} asking to store {@code content}. */
    public static LedgerEntry invoked(String id, String content) {
        return new LedgerEntry(Kind.INV, id, null, content);
    }

    /** An answer for {@code id}: OK (with no code), FAIL or UNKNOWN with a code. */
    public static LedgerEntry answered(Kind kind, String id, String code) {
        return new LedgerEntry(kind, id, code, null);
    }

    /** The line as a writer prints it. */
    public String toLine() {
        String detail = kind == Kind.INV ? content : code;
        return "L " + kind + " " + id + (detail == null ? "" : " " + detail);
    }

    /** Parses {@link #toLine()}; returns {@code null} for any other line (and for a line cut short by a kill). */
    public static LedgerEntry parse(String line) {
        if (!line.startsWith("L ")) {
            return null;
        }
        String[] parts = line.split(" ");
        if (parts.length < 3 || parts.length > 4) {
            return null;
        }
        Kind kind;
        try {
            kind = Kind.valueOf(parts[1]);
        } catch (IllegalArgumentException torn) {
            return null;
        }
        String detail = parts.length > 3 ? parts[3] : null;
        if (kind == Kind.INV && (detail == null || detail.length() != 16)) {
            return null;
        }
        return kind == Kind.INV ? invoked(parts[2], detail) : answered(kind, parts[2], detail);
    }
}
