package dev.sqlitemetrics.testkit.internal.cli;

import dev.sqlitemetrics.testkit.Calls;
import picocli.CommandLine;

/** Reads {@code --calls record|completion|async|completion-async|mix}. Internal. */
public final class CallsConverter implements CommandLine.ITypeConverter<Calls> {
    @Override
    public Calls convert(String value) {
        try {
            return Calls.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
