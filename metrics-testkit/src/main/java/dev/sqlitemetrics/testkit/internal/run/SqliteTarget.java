package dev.sqlitemetrics.testkit.internal.run;

import dev.sqlitemetrics.core.SqliteConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A SQLite file. Internal. */
record SqliteTarget(SqliteConfig config) implements Target {

    @Override
    public Target named(Path folder, String name) {
        return new SqliteTarget(config.toBuilder().path(folder.resolve(name + ".db")).build());
    }

    @Override
    public void reset() throws IOException {
        DatabaseFiles.delete(config.path());
    }

    @Override
    public void delete() throws IOException {
        DatabaseFiles.deleteWithSidecar(config.path());
    }

    @Override
    public Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + config.path());
    }

    @Override
    public String rowsSql() {
        String object = "CASE WHEN json_valid(attributes) AND json_type(attributes) = 'object' THEN ";
        return "SELECT CAST(id AS TEXT), msg, task, outcome, duration_ms, "
                + object + "(SELECT count(*) FROM json_each(attributes)) END, "
                + object + "json_extract(attributes, '$." + RecordContent.WRITER_KEY + "') END, "
                + object + "json_extract(attributes, '$." + RecordContent.SEQUENCE_KEY + "') END, "
                + "CAST(round((julianday(ts) - 2440587.5) * 86400000.0) AS INTEGER) FROM \"" + config.tableName() + "\"";
    }

    @Override
    public String integrity(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("PRAGMA integrity_check")) {
            return rows.next() ? rows.getString(1) : "(no result)";
        }
    }

    @Override
    public String writeLockTaken(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout = 0");
            statement.execute("BEGIN IMMEDIATE");
            statement.execute("ROLLBACK");
            return null;
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    @Override
    public AttemptWriter naive(Duration busyTimeout) {
        return new NaiveWriter("jdbc:sqlite:" + config.path(), null, null,
                Map.of("busy_timeout", String.valueOf(busyTimeout.toMillis())),
                "INSERT INTO \"" + config.tableName() + "\" (id, msg) VALUES (?, ?)");
    }

    @Override
    public AttemptWriter lockedConnection() {
        return new LockedConnectionWriter("jdbc:sqlite:" + config.path(),
                "INSERT INTO \"" + config.tableName() + "\" (id, msg) VALUES (?, ?)");
    }

    @Override
    public List<String> childArgs() {
        List<String> args = new ArrayList<>(List.of("--path", config.path().toString()));
        args.addAll(ConfigArgs.of(config));
        return args;
    }

    @Override
    public Map<String, String> childEnvironment() {
        return Map.of();
    }
}
