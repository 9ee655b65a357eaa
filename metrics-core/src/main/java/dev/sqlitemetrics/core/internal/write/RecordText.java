package dev.sqlitemetrics.core.internal.write;

import dev.sqlitemetrics.core.Completion;
import java.util.Map;
import java.util.Objects;

/**
 * Checks a record's text before any SQL and encodes its attributes. The driver would silently store
 * a lone surrogate as {@code ?}, so those are refused here; so are payloads over the size limit,
 * checked by length first so a huge string costs no encoding.
 */
final class RecordText {
    private final int maxBytes;

    RecordText(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Checks one text and returns its UTF-8 size; {@code name} is the argument named in errors. */
    int check(String value, String name, int bytesSoFar) {
        Objects.requireNonNull(value, name);
        if ((long) value.length() + bytesSoFar > maxBytes) {
            throw tooLarge(name, (long) value.length() + bytesSoFar, true);
        }
        long bytes = bytesSoFar;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(name + " must be well-formed UTF-16, was a lone surrogate \\u"
                        + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT) + " at index " + i);
            } else {
                bytes += 3;
            }
        }
        if (bytes > maxBytes) {
            throw tooLarge(name, bytes, false);
        }
        return (int) bytes;
    }

    /** Checks every text of a completion against one shared size budget. */
    void check(Completion completion) {
        int bytes = check(completion.message(), "message", 0);
        bytes = check(completion.task(), "task", bytes);
        for (Map.Entry<String, String> attribute : completion.attributes().entrySet()) {
            bytes = check(attribute.getKey(), "attributes key", bytes);
            bytes = check(attribute.getValue(), "attributes value of '" + attribute.getKey() + "'", bytes);
        }
    }

    private IllegalArgumentException tooLarge(String name, long bytes, boolean atLeast) {
        return new IllegalArgumentException(name + " must be at most " + maxBytes + " bytes as UTF-8 (maxMessageBytes), was "
                + (atLeast ? "at least " : "") + bytes + " bytes");
    }

    /** The attributes as a JSON object of strings, or {@code null} when there are none. */
    static String json(Map<String, String> attributes) {
        if (attributes.isEmpty()) {
            return null;
        }
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            if (json.length() > 1) {
                json.append(',');
            }
            quote(json, attribute.getKey()).append(':');
            quote(json, attribute.getValue());
        }
        return json.append('}').toString();
    }

    private static StringBuilder quote(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }
}
