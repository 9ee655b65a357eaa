package dev.sqlitemetrics.cli;

import dev.sqlitemetrics.core.Durations;
import picocli.CommandLine;

import java.time.Duration;

/** Reads durations as {@link Durations#parse} does: {@code 250ms}, {@code 1.5s}, {@code 10m}, {@code 24h}, {@code 30d}, or ISO-8601. */
final class DurationText implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /** {@code duration} the way it would be written: {@code 7d}, {@code 36h}, {@code 90m}, {@code 1500ms}. */
    static String format(Duration duration) {
        return Durations.format(duration);
    }
}
