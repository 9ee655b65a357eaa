package dev.sqlitemetrics.testkit.internal.report;

import java.util.Locale;

/**
 * JSON string literals, the one escaper of the reports and of the command line's output. Safe to put
 * inside an HTML {@code <script>} too: {@code <}, {@code >} and the JavaScript line separators are
 * escaped, which JSON allows.
 */
public final class Json {
    private Json() {
    }

    /** {@code text} as a JSON string literal; {@code null} as {@code null}. */
    public static String quote(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder json = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '<' -> json.append("\\u003c");
                case '>' -> json.append("\\u003e");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }
}
