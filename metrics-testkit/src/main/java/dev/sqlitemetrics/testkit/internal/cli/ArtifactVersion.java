package dev.sqlitemetrics.testkit.internal.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of the artifact a class came in, as the build wrote it into {@code version.properties} beside it. */
public final class ArtifactVersion {
    private ArtifactVersion() {
    }

    /** The version in {@code version.properties} of {@code type}'s package. */
    public static String of(Class<?> type) {
        try (InputStream in = type.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("no version.properties beside " + type.getName() + ": a broken build");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
