package dev.sqlitemetrics.core;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations the way people write them in properties, environment variables and command lines:
 * {@code 250ms}, {@code 1.5s}, {@code 10m}, {@code 24h}, {@code 30d}, or ISO-8601 ({@code PT5S}).
 */
public final class Durations {
    private static final Pattern AMOUNT = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * The duration {@code text} writes.
     *
     * @throws IllegalArgumentException naming the forms it reads, when {@code text} is none of them
     */
    public static Duration parse(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        if (value.startsWith("p") || value.startsWith("-p")) {
            try {
                return Duration.parse(text.strip());
            } catch (RuntimeException e) {
                throw invalid(text);
            }
        }
        Matcher matcher = AMOUNT.matcher(value);
        if (!matcher.matches()) {
            throw invalid(text);
        }
        double amount = Double.parseDouble(matcher.group(1));
        double nanosPerUnit = switch (matcher.group(2)) {
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            case "h" -> 3600e9;
            default -> 86_400e9;
        };
        double nanos = amount * nanosPerUnit;
        if (nanos > Long.MAX_VALUE) {
            throw invalid(text);
        }
        return Duration.ofNanos(Math.round(nanos));
    }

    /** {@code duration} the way {@link #parse} reads it back exactly: {@code 7d}, {@code 36h}, {@code 90m}, {@code 1500ms}. */
    public static String format(Duration duration) {
        if (duration.getNano() % 1_000_000 != 0 || duration.isNegative()) {
            return duration.toString();
        }
        long millis = duration.toMillis();
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (millis != 0 && millis % units[i] == 0) {
                return millis / units[i] + names[i];
            }
        }
        return millis + "ms";
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("'" + text + "' is not a duration (use 250ms, 1.5s, 10m, 24h, 30d or PT5S)");
    }
}
