package dev.sqlitemetrics.cli.report;

/**
 * Recorded text as HTML and SVG text: every character that could open markup, end an attribute or
 * start an entity is written as an entity, so a message such as {@code <script>} shows as itself.
 */
final class Html {
    private Html() {
    }

    /** {@code value} safe as element content and inside a double- or single-quoted attribute. */
    static String text(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length() + 16);
        value.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    // Control characters other than tab and newline are not allowed in HTML text.
                    if (c < 0x20 && c != '\t' && c != '\n' || c == 0x7f) {
                        out.append('\uFFFD');
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.toString();
    }

    /** {@code value} cut to {@code max} characters (on a code point boundary) with an ellipsis, then escaped. */
    static String shortened(String value, int max) {
        if (value == null) {
            return "";
        }
        if (value.length() <= max) {
            return text(value);
        }
        int end = Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max;
        return text(value.substring(0, end)) + "\u2026";
    }
}
