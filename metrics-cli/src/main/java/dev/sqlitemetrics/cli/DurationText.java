package dev.sqlitemetrics.cli;

import picocli.CommandLine;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations the way people write them: {@code 250ms}, {@code 1.5s}, {@code 10m}, {@code 24h}, {@code 30d}, or ISO-8601. */
final class DurationText implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern AMOUNT = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

    @Override
    public Duration convert(String value) {
        String text = value.strip().toLowerCase(Locale.ROOT);
        if (text.startsWith("p")) {
            try {
                return Duration.parse(value.strip());
            } catch (RuntimeException e) {
                throw invalid(value);
            }
        }
        Matcher matcher = AMOUNT.matcher(text);
        if (!matcher.matches()) {
            throw invalid(value);
        }
        double amount = Double.parseDouble(matcher.group(1));
        double nanosPerUnit = switch (matcher.group(2)) {
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            case "h" -> 3600e9;
            default -> 86_400e9;
        };
        return Duration.ofNanos(Math.round(amount * nanosPerUnit));
    }

    /** {@code duration} the way it would be written: {@code 7d}, {@code 36h}, {@code 90m}, {@code 1500ms}. */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (millis % units[i] == 0) {
                return millis / units[i] + names[i];
            }
        }
        return millis + "ms";
    }

    private static CommandLine.TypeConversionException invalid(String value) {
        return new CommandLine.TypeConversionException("'" + value + "' is not a duration (use 250ms, 1.5s, 10m, 24h, 30d or PT5S)");
    }
}
