package dev.sqlitemetrics.testkit.internal.cli;

import dev.sqlitemetrics.core.Durations;
import picocli.CommandLine;

import java.time.Duration;

/** Reads durations as {@link Durations#parse} does: {@code 250ms}, {@code 1.5s}, {@code 10m}, {@code 24h}, {@code 30d}, {@code PT5S}. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /** The form {@link #convert} reads back exactly. */
    public static String format(Duration duration) {
        return Durations.format(duration);
    }
}
