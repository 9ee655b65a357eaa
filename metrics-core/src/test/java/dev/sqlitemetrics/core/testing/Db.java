package dev.sqlitemetrics.core.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/** Reads a database file on a fresh raw connection, the way the checks of the tests see it. */
public final class Db {
    private Db() {
    }

    public static Connection connect(Path path) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + path);
    }

    /** How many rows carry each id (rows without an id are left out). */
    public static Map<String, Integer> idCounts(Path path, String table) throws SQLException {
        Map<String, Integer> counts = new HashMap<>();
        try (Connection connection = connect(path);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM " + table + " WHERE id IS NOT NULL")) {
            while (rows.next()) {
                counts.merge(rows.getString(1), 1, Integer::sum);
            }
        }
        return counts;
    }

    public static Map<String, Integer> idCounts(Path path) throws SQLException {
        return idCounts(path, "messages");
    }

    public static String integrityCheck(Path path) throws SQLException {
        return query(path, "PRAGMA integrity_check");
    }

    /** The first column of the first row, as text. */
    public static String query(Path path, String sql) throws SQLException {
        try (Connection connection = connect(path);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    public static void execute(Path path, String sql) throws SQLException {
        try (Connection connection = connect(path); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
