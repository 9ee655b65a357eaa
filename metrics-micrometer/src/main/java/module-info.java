/** Micrometer meters over a sqlite-metrics recorder ({@link dev.sqlitemetrics.micrometer.RecorderMeters}). */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.sqlitemetrics.micrometer {
    requires transitive dev.sqlitemetrics.core;
    requires transitive micrometer.core;

    exports dev.sqlitemetrics.micrometer;
}
