package dev.sqlitemetrics.testkit;

import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.StoreConfig;

/**
 * Opens the recorder a level's writer threads share. The default is {@link MetricsRecorder#open(StoreConfig)};
 * a test can stand in a decorated or fake recorder.
 *
 * <p>Child JVMs ({@link Scenario#processes()} above 0, the kill campaign) make their own factory from
 * its class name: there a factory must be a public class (top-level or static nested) with a public
 * no-argument constructor, on the classpath the children share with this JVM. A lambda or an
 * anonymous class works in threads only; with child JVMs it is refused with a message.
 */
@FunctionalInterface
public interface RecorderFactory {
    /** The library's own recorder. */
    RecorderFactory DEFAULT = MetricsRecorder::open;

    /**
     * Opens a recorder on {@code config}: a {@code SqliteConfig} (the level's own file) or a
     * {@code PostgresConfig} (the level's own table), whichever store the run is on.
     */
    MetricsRecorder open(StoreConfig config);
}
