package dev.sqlitemetrics.testkit.internal.ledger;

import dev.sqlitemetrics.core.Completion;
import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.Outcome;
import dev.sqlitemetrics.core.RecordIds;
import dev.sqlitemetrics.core.StoreConfig;
import dev.sqlitemetrics.testkit.RecorderFactory;
import dev.sqlitemetrics.testkit.internal.run.Attempt;
import dev.sqlitemetrics.testkit.internal.run.RecordContent;
import dev.sqlitemetrics.testkit.internal.run.TableSnapshot;
import dev.sqlitemetrics.testkit.internal.run.Target;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a database against a ledger once the faults are gone, on fresh connections. Every row is
 * accounted for, by the id's exact stored text and by content:
 * I1 every acknowledged id present exactly once, with the content asked for; I2 no row whose id was
 * never invoked, and the rows without an id as they were at the start; I3 every FAIL id absent; I4
 * every UNKNOWN or in-flight id present at most once, with the content asked for; I5 integrity_check
 * is {@code ok}; I6 a new record() succeeds; I7 no connection was left in a transaction (BEGIN
 * IMMEDIATE succeeds at once); I9 every failure was the library's own exception type. An id
 * answered twice is a fault of the writer's account itself, reported as such.
 *
 * @param invoked    ids in the ledger
 * @param ok         ids acknowledged
 * @param failed     ids reported definitely not written (and nothing else)
 * @param unknown    ids reported unknown, or left in flight
 * @param present    ledger ids found in the table
 * @param lost       acknowledged ids missing from the table (I1)
 * @param duplicated ids present more than once
 * @param integrity  the storage check: {@code ok}, or what is wrong (the table gone, for one)
 * @param violations every invariant broken, in words; empty when all hold
 */
public record LedgerCheck(long invoked, long ok, long failed, long unknown, long present, long lost, long duplicated,
                          String integrity, List<String> violations) {

    /** The task of the check's own record (I6). */
    static final String CHECK_TASK = "ledger-check";

    /** Copies the violations. */
    public LedgerCheck {
        violations = List.copyOf(violations);
    }

    /** Whether every invariant held. */
    public boolean passed() {
        return violations.isEmpty();
    }

    /**
     * Runs every check on a database whose table was empty when the ledger began, with the library's
     * own recorder for I6.
     */
    public static LedgerCheck verify(StoreConfig config, Ledger ledger, boolean newRecordExpected) throws SQLException {
        return verify(config, ledger, TableSnapshot.empty(), RecorderFactory.DEFAULT, newRecordExpected);
    }

    /**
     * Runs every check on {@code config}'s database.
     *
     * @param start             the table when the ledger began: rows it holds are not the ledger's
     * @param recorders         opens the recorder under test for I6
     * @param newRecordExpected false for scenarios that refuse by design (a read-only or corrupt file)
     */
    public static LedgerCheck verify(StoreConfig config, Ledger ledger, TableSnapshot start, RecorderFactory recorders,
                                     boolean newRecordExpected) throws SQLException {
        List<String> violations = new ArrayList<>();
        TableSnapshot table;
        Target target = Target.of(config);
        String integrity;
        try (Connection connection = target.connect()) {
            try {
                table = TableSnapshot.read(target, connection);
                integrity = table.integrity();
            } catch (SQLException e) {
                if (!missingTable(e)) {
                    throw e;
                }
                // A file that lost its table (a power cut before anything was synced) lost every row.
                table = TableSnapshot.empty();
                integrity = "table " + config.tableName() + " is gone";
                violations.add("I1 table " + config.tableName() + " is gone: " + e.getMessage());
            }
            if (!table.integrityOk()) {
                violations.add("I5 integrity check returned " + table.integrity());
            }
            String taken = target.writeLockTaken(connection);
            if (taken != null) {
                violations.add("I7 another connection could not take the write lock at once: " + taken);
            }
        }
        Map<String, List<LedgerEntry>> entries = ledger.entries();
        long ok = 0;
        long failed = 0;
        long unknown = 0;
        long present = 0;
        long lost = 0;
        long duplicated = 0;
        for (Map.Entry<String, List<LedgerEntry>> lines : entries.entrySet()) {
            IdAccount account = IdAccount.of(lines.getKey(), lines.getValue());
            List<String> rows = table.rowsById().getOrDefault(account.id(), List.of()).stream()
                    .map(TableSnapshot.Row::content).toList();
            present += rows.isEmpty() ? 0 : 1;
            duplicated += rows.size() > 1 ? 1 : 0;
            if (account.answeredTooOften()) {
                violations.add("ledger: " + account.id() + " was answered " + account.answers().size() + " times ("
                        + account.answers().stream().map(answer -> answer.kind().name()).toList() + ") for "
                        + account.invocations() + " call(s): a writer's account must hold one answer per call");
            }
            long altered = rows.stream().filter(content -> !account.contents().contains(content)).count();
            switch (account.decision()) {
                case OK -> {
                    ok++;
                    lost += rows.isEmpty() ? 1 : 0;
                    if (rows.size() != 1) {
                        violations.add("I1 acknowledged " + account.id() + " is present " + rows.size() + " times");
                    } else if (altered > 0) {
                        violations.add("I1 acknowledged " + account.id() + " holds other content than was asked for");
                    }
                }
                case FAIL -> {
                    failed++;
                    if (!rows.isEmpty()) {
                        violations.add("I3 " + account.id() + " reported not written (" + account.code() + ") is present");
                    }
                }
                case UNKNOWN, INV -> {
                    unknown++;
                    if (rows.size() > 1) {
                        violations.add("I4 " + account.id() + " of unknown outcome is present " + rows.size() + " times");
                    } else if (altered > 0) {
                        violations.add("I4 " + account.id() + " of unknown outcome holds other content than was asked for");
                    }
                }
            }
            String code = account.code();
            if (code != null && code.startsWith(Attempt.FOREIGN)) {
                violations.add("I9 " + account.id() + " failed with an exception not of the library's types: " + code);
            }
        }
        for (Map.Entry<String, List<TableSnapshot.Row>> rows : table.rowsById().entrySet()) {
            boolean preExisting = rows.getValue().equals(start.rowsById().get(rows.getKey()));
            if (!entries.containsKey(rows.getKey()) && !preExisting) {
                violations.add("I2 row " + rows.getKey() + " was never invoked" + (rows.getValue().size() > 1
                        ? " (" + rows.getValue().size() + " rows)" : ""));
            }
        }
        if (!table.sameAnonymousRows(start)) {
            violations.add("I2 rows without an id changed: " + start.anonymous() + " at the start, " + table.anonymous()
                    + " now" + (start.anonymous() == table.anonymous() ? ", with other content" : ""));
        }
        if (newRecordExpected) {
            recordAfterTheFaults(config, ledger, recorders, violations);
        }
        return new LedgerCheck(entries.size(), ok, failed, unknown, present, lost, duplicated, integrity, violations);
    }

    /** SQLite's "no such table", PostgreSQL's undefined_table. */
    private static boolean missingTable(SQLException e) {
        return "42P01".equals(e.getSQLState()) || String.valueOf(e.getMessage()).contains("no such table");
    }

    /** I6: the recorder under test records again; its record joins the ledger, so the next check holds it to I1. */
    private static void recordAfterTheFaults(StoreConfig config, Ledger ledger, RecorderFactory recorders,
                                             List<String> violations) {
        String id = RecordIds.next().toString();
        String message = "ledger check: a new record after the faults";
        ledger.add(LedgerEntry.invoked(id, RecordContent.hash(message, CHECK_TASK, Outcome.SUCCEEDED.name())));
        try (MetricsRecorder recorder = recorders.open(config)) {
            recorder.recordCompletion(Completion.builder(CHECK_TASK, Outcome.SUCCEEDED).id(java.util.UUID.fromString(id))
                    .message(message).build());
            ledger.add(LedgerEntry.answered(LedgerEntry.Kind.OK, id, null));
        } catch (RuntimeException e) {
            ledger.add(LedgerEntry.answered(LedgerEntry.Kind.UNKNOWN, id, "NO_CODE"));
            violations.add("I6 a new record() failed: " + e);
        }
    }
}
