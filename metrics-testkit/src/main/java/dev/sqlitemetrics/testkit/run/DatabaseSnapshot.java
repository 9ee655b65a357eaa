package dev.sqlitemetrics.testkit.run;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * What a check reads from the table after a run, on a fresh connection: how many rows carry each
 * record id, and what {@code PRAGMA integrity_check} says. Internal.
 *
 * @param copies    rows per id (rows without an id, from other clients, are left out)
 * @param integrity the first line of {@code integrity_check}
 */
public record DatabaseSnapshot(Map<String, Integer> copies, String integrity) {

    /** Reads {@code table} through {@code connection}. */
    public static DatabaseSnapshot read(Connection connection, String table) throws SQLException {
        Map<String, Integer> copies = new HashMap<>();
        String integrity;
        try (Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery(
                    "SELECT id, count(*) FROM \"" + table + "\" WHERE id IS NOT NULL GROUP BY id")) {
                while (rows.next()) {
                    copies.put(rows.getString(1), rows.getInt(2));
                }
            }
            try (ResultSet rows = statement.executeQuery("PRAGMA integrity_check")) {
                integrity = rows.next() ? rows.getString(1) : "(no result)";
            }
        }
        return new DatabaseSnapshot(copies, integrity);
    }

    /** Whether {@code integrity_check} returned exactly {@code ok}. */
    public boolean integrityOk() {
        return "ok".equals(integrity);
    }
}
