package dev.sqlitemetrics.testkit.ledger;

import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.RecorderConfig;
import dev.sqlitemetrics.testkit.run.DatabaseSnapshot;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Checks a database against a ledger once the faults are gone, on fresh connections
 * (RELIABILITY.md I1-I7):
 * I1 every OK id present exactly once; I2 no row whose id was never invoked; I3 every FAIL id
 * absent; I4 every UNKNOWN or in-flight id present at most once; I5 integrity_check is {@code ok};
 * I6 a new record() succeeds; I7 no connection was left in a transaction (BEGIN IMMEDIATE succeeds
 * at once); I9 every failure was the library's own exception type, with a SQLite result code.
 *
 * @param invoked    ids invoked
 * @param ok         ids acknowledged
 * @param failed     ids reported definitely not written
 * @param unknown    ids reported unknown, or left in flight
 * @param present    ledger ids found in the table
 * @param violations every invariant broken, in words; empty when all hold
 */
public record LedgerCheck(long invoked, long ok, long failed, long unknown, long present, List<String> violations) {

    /** Copies the violations. */
    public LedgerCheck {
        violations = List.copyOf(violations);
    }

    /** Whether every invariant held. */
    public boolean passed() {
        return violations.isEmpty();
    }

    /**
     * Runs every check on {@code config}'s database. {@code newRecordExpected} is false for scenarios
     * that refuse by design (a read-only or corrupt file).
     */
    public static LedgerCheck verify(RecorderConfig config, Ledger ledger, boolean newRecordExpected) throws SQLException {
        Map<UUID, Integer> copies = new HashMap<>();
        List<String> violations = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + config.path());
             Statement statement = connection.createStatement()) {
            DatabaseSnapshot snapshot = DatabaseSnapshot.read(connection, config.tableName());
            snapshot.copies().forEach((id, count) -> copies.put(UUID.fromString(id), count));
            if (!snapshot.integrityOk()) {
                violations.add("I5 integrity_check returned " + snapshot.integrity());
            }
            statement.execute("PRAGMA busy_timeout = 0");
            try {
                statement.execute("BEGIN IMMEDIATE");
                statement.execute("ROLLBACK");
            } catch (SQLException e) {
                violations.add("I7 another connection could not take the write lock at once: " + e.getMessage());
            }
        }
        Map<UUID, LedgerEntry> entries = ledger.entries();
        long ok = 0;
        long failed = 0;
        long unknown = 0;
        long present = 0;
        for (LedgerEntry entry : entries.values()) {
            int count = copies.getOrDefault(entry.id(), 0);
            present += count > 0 ? 1 : 0;
            switch (entry.kind()) {
                case OK -> {
                    ok++;
                    if (count != 1) {
                        violations.add("I1 acknowledged " + entry.id() + " is present " + count + " times");
                    }
                }
                case FAIL -> {
                    failed++;
                    if (count != 0) {
                        violations.add("I3 " + entry.id() + " reported not written (" + entry.code() + ") is present");
                    }
                }
                case UNKNOWN, INV -> {
                    unknown++;
                    if (entry.code() != null && entry.code().startsWith("FOREIGN_")) {
                        violations.add("I9 " + entry.id() + " failed with an exception not of the library's types: "
                                + entry.code());
                    }
                    if (count > 1) {
                        violations.add("I4 " + entry.id() + " of unknown outcome is present " + count + " times");
                    }
                }
            }
        }
        for (UUID id : copies.keySet()) {
            if (!entries.containsKey(id)) {
                violations.add("I2 row " + id + " was never invoked");
            }
        }
        if (newRecordExpected) {
            try (MetricsRecorder recorder = MetricsRecorder.open(config)) {
                UUID id = recorder.record("ledger check: a new record after the faults");
                ledger.add(new LedgerEntry(LedgerEntry.Kind.OK, id, null));
            } catch (RuntimeException e) {
                violations.add("I6 a new record() failed: " + e);
            }
        }
        return new LedgerCheck(entries.size(), ok, failed, unknown, present, violations);
    }
}
