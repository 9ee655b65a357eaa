/**
 * sqlite-metrics: record completion metrics to a local SQLite file (or a PostgreSQL server) from any
 * number of threads and processes at once, without losing one; read them back, prune them, and
 * forward them to a central server. Only {@code dev.sqlitemetrics.core} is the API; the
 * {@code internal} packages are not exported.
 *
 * <p>On the module path, the PostgreSQL store needs the driver's module too
 * ({@code requires org.postgresql.jdbc;} in the application, or {@code --add-modules org.postgresql.jdbc}).
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.sqlitemetrics.core {
    requires transitive java.sql;
    requires org.xerial.sqlitejdbc;
    requires com.zaxxer.hikari;
    requires dev.failsafe.core;
    requires org.slf4j;
    // HdrHistogram 2.2.2 names no module of its own: its automatic module takes the jar's name.
    requires HdrHistogram;
    // Optional: only the PostgreSQL store uses the driver.
    requires static org.postgresql.jdbc;

    exports dev.sqlitemetrics.core;
}
