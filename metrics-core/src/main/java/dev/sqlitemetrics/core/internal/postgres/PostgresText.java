package dev.sqlitemetrics.core.internal.postgres;

/**
 * Text as PostgreSQL can store it: its {@code text} and {@code jsonb} hold no NUL character, which
 * SQLite text can; each becomes U+FFFD, the replacement character, so the rest of the row arrives.
 */
final class PostgresText {
    private static final char REPLACEMENT = '\uFFFD';

    private PostgresText() {
    }

    /** {@code text} without NUL characters, or {@code null}. */
    static String storable(String text) {
        return text == null || text.indexOf('\0') < 0 ? text : text.replace('\0', REPLACEMENT);
    }

    /**
     * JSON text without NUL characters, raw or as JSON's escape for them (a backslash, {@code u0000};
     * an escape is one whose backslash is not itself escaped), or {@code null}.
     */
    static String storableJson(String json) {
        String text = storable(json);
        if (text == null || !text.contains("u0000")) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                if (text.startsWith("u0000", i + 1)) {
                    out.append("\\ufffd");
                    i += 6;
                } else {
                    // An escape of two characters (backslash, quote, n, ...) or the start of another hex escape.
                    out.append(c).append(text.charAt(i + 1));
                    i += 2;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
