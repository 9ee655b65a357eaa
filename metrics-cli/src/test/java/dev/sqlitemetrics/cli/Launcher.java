package dev.sqlitemetrics.cli;

import org.junit.jupiter.api.Assertions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The {@code sqlite-metrics} launcher the build writes beside the runnable jar, for the tests that run it. */
final class Launcher {
    private Launcher() {
    }

    /** The launcher, or the calling test failed when the build has not packaged it yet. */
    static Path path() {
        Path launcher = Path.of("target", "sqlite-metrics").toAbsolutePath();
        Assertions.assertTrue(Files.isExecutable(launcher) && Files.isRegularFile(launcher.resolveSibling("sqlite-metrics.jar")),
                "the launcher and runnable jar are made by the package phase: run mvn verify");
        return launcher;
    }

    /** {@code command} with this JVM as its java and {@code cache} as its cache folder. */
    static ProcessBuilder process(List<String> command, Path cache) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("SQLITE_METRICS_CACHE", cache.toString());
        builder.environment().remove("SQLITE_METRICS_JAVA_OPTS");
        builder.environment().remove("SQLITE_METRICS_CDS");
        return builder;
    }
}
