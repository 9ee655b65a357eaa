package dev.sqlitemetrics.testkit;

import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.RecorderConfig;

/**
 * Opens the recorder a level's writer threads share. The default is {@link MetricsRecorder#open(RecorderConfig)};
 * a test can stand in a decorated or fake recorder. Child JVMs always open the real one.
 */
@FunctionalInterface
public interface RecorderFactory {
    /** The library's own recorder. */
    RecorderFactory DEFAULT = MetricsRecorder::open;

    /** Opens a recorder on {@code config} (whose path is the level's database). */
    MetricsRecorder open(RecorderConfig config);
}
