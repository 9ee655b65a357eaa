package dev.sqlitemetrics.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table whose columns are as wide as their widest cell on a terminal: widths are
 * measured in terminal columns, so a task name in CJK or with an emoji (two columns a character) and
 * one longer than any fixed width keep the columns aligned.
 */
final class TextTable {
    private final boolean[] rightAligned;
    private final List<String[]> rows = new ArrayList<>();

    /** @param rightAligned per column: numbers are right-aligned, text left-aligned */
    TextTable(boolean... rightAligned) {
        this.rightAligned = rightAligned;
    }

    TextTable row(String... cells) {
        if (cells.length != rightAligned.length) {
            throw new IllegalArgumentException("a row of " + rightAligned.length + " cells, was " + cells.length);
        }
        rows.add(cells);
        return this;
    }

    /** The table, one line per row, columns two spaces apart, no trailing spaces. */
    String render() {
        int[] widths = new int[rightAligned.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], width(row[i]));
            }
        }
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    line.append("  ");
                }
                line.append(pad(row[i], widths[i], rightAligned[i]));
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }

    /** {@code text} padded with spaces to {@code columns} terminal columns. */
    static String pad(String text, int columns, boolean right) {
        String spaces = " ".repeat(Math.max(0, columns - width(text)));
        return right ? spaces + text : text + spaces;
    }

    /** How many terminal columns {@code text} takes: 2 for a wide character, 0 for a combining mark. */
    static int width(String text) {
        int columns = 0;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            int type = Character.getType(c);
            if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT
                    || c == 0x200B) {
                continue;
            }
            columns += wide(c) ? 2 : 1;
        }
        return columns;
    }

    /** East Asian wide and full-width characters, and emoji (as terminals draw them). */
    private static boolean wide(int c) {
        return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) || (c >= 0x3041 && c <= 0x33FF)
                || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF)
                || (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F)
                || (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F)
                || (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD);
    }
}
