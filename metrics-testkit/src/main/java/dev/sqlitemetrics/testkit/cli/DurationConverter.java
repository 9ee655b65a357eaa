package dev.sqlitemetrics.testkit.cli;

import picocli.CommandLine;

import java.time.Duration;
import java.util.Locale;

/** Reads {@code 250ms}, {@code 5s}, {@code 2m} or ISO-8601 ({@code PT5S}) durations. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (text.startsWith("pt") || text.startsWith("-pt")) {
                return Duration.parse(value.trim());
            }
            if (text.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            }
            if (text.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
            }
            if (text.endsWith("m")) {
                return Duration.ofSeconds(Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 60));
            }
        } catch (RuntimeException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (use 250ms, 5s, 2m or PT5S)");
        }
        throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (use 250ms, 5s, 2m or PT5S)");
    }

    /** The form {@link #convert} reads back exactly. */
    public static String format(Duration duration) {
        return duration.toMillis() + "ms";
    }
}
