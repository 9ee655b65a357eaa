package dev.sqlitemetrics.testkit.internal.run;

import dev.sqlitemetrics.testkit.WriterKind;
import dev.sqlitemetrics.core.PostgresConfig;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A table on a PostgreSQL server. Internal. */
record PostgresTarget(PostgresConfig config) implements Target {

    @Override
    public Target named(Path folder, String name) {
        String table = (config.tableName() + "_" + name).replaceAll("[^A-Za-z0-9_]", "_").toLowerCase(Locale.ROOT);
        return new PostgresTarget(config.toBuilder().tableName(table.length() > 63 ? table.substring(0, 63) : table)
                .build());
    }

    @Override
    public void reset() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS \"" + config.tableName() + "\"");
        }
    }

    @Override
    public void delete() throws SQLException {
        reset();
    }

    @Override
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(requireUrl(), credentials());
    }

    private Properties credentials() {
        Properties properties = new Properties();
        if (config.user() != null) {
            properties.setProperty("user", config.user());
        }
        if (config.password() != null) {
            properties.setProperty("password", config.password().reveal());
        }
        return properties;
    }

    private String requireUrl() {
        if (config.jdbcUrl() == null) {
            throw new IllegalArgumentException("the testkit connects to PostgreSQL by URL: jdbcUrl must be set, was null");
        }
        return config.jdbcUrl();
    }

    /** A server has no integrity check of its own: the table must be readable and its indexes valid. */
    @Override
    public String rowsSql() {
        String object = "CASE WHEN jsonb_typeof(attributes) = 'object' THEN ";
        return "SELECT CAST(id AS text), msg, task, outcome, duration_ms, "
                + object + "(SELECT count(*) FROM jsonb_object_keys(attributes)) END, "
                + object + "attributes ->> '" + RecordContent.WRITER_KEY + "' END, "
                + object + "attributes ->> '" + RecordContent.SEQUENCE_KEY + "' END, "
                + "CAST(floor(extract(epoch FROM ts) * 1000) AS bigint) FROM \"" + config.tableName() + "\"";
    }

    @Override
    public String integrity(Connection connection) throws SQLException {
        try (PreparedStatement invalid = connection.prepareStatement("SELECT count(*) FROM pg_index"
                + " WHERE indrelid = to_regclass(?) AND NOT (indisvalid AND indisready)")) {
            invalid.setString(1, "\"" + config.tableName() + "\"");
            try (ResultSet rows = invalid.executeQuery()) {
                rows.next();
                return rows.getLong(1) == 0 ? "ok" : rows.getLong(1) + " invalid indexes on " + config.tableName();
            }
        }
    }

    /** No lock is left behind if another session can take the strongest lock that inserts conflict with, at once. */
    @Override
    public String writeLockTaken(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                statement.execute("LOCK TABLE \"" + config.tableName() + "\" IN EXCLUSIVE MODE NOWAIT");
                return null;
            } finally {
                connection.rollback();
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    @Override
    public AttemptWriter naive(Duration busyTimeout) {
        return new NaiveWriter(requireUrl(), config.user(), config.password() == null ? null : config.password().reveal(),
                Map.of(), "INSERT INTO \"" + config.tableName() + "\" (id, msg) VALUES (CAST(? AS uuid), ?)");
    }

    @Override
    public AttemptWriter lockedConnection() {
        throw new IllegalArgumentException("the " + WriterKind.LOCKED_CONNECTION + " writer is SQLite's (BEGIN IMMEDIATE);"
                + " on a server use " + WriterKind.RECORDER + " or " + WriterKind.NAIVE);
    }

    /** A password given as a URL parameter: moved to the environment for children, like the config's own. */
    private static final Pattern URL_PASSWORD = Pattern.compile("([?&])password=([^&]*)&?", Pattern.CASE_INSENSITIVE);

    /** The URL without a password parameter: what a child's command line may show. */
    private String urlWithoutPassword() {
        Matcher matcher = URL_PASSWORD.matcher(requireUrl());
        return matcher.find() ? matcher.replaceFirst("$1").replaceAll("[?&]$", "") : requireUrl();
    }

    private String password() {
        if (config.password() != null) {
            return config.password().reveal();
        }
        Matcher matcher = URL_PASSWORD.matcher(requireUrl());
        return matcher.find() ? java.net.URLDecoder.decode(matcher.group(2), java.nio.charset.StandardCharsets.UTF_8) : null;
    }

    @Override
    public List<String> childArgs() {
        List<String> args = new ArrayList<>(List.of("--jdbc-url", urlWithoutPassword()));
        if (config.user() != null) {
            args.addAll(List.of("--user", config.user()));
        }
        args.addAll(ConfigArgs.of(config));
        return args;
    }

    @Override
    public Map<String, String> childEnvironment() {
        String password = password();
        return password == null ? Map.of() : Map.of(PASSWORD_VARIABLE, password);
    }
}
