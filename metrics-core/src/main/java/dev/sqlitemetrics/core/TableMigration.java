package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.internal.Stores;

import java.util.List;

/**
 * A SQLite file's table made the recorder's on purpose, as opening a recorder does by itself: a
 * missing table is created; a table of the classic experiment's shape ({@code messages(ts, msg)}, with
 * none or some of the recorder's other columns) gains the columns it lacks and a unique index on
 * {@code id}, in one transaction, its rows untouched; a table of any other shape is refused
 * ({@link SchemaMismatchException}, listing every difference) and never altered.
 *
 * <pre>{@code
 * List<String> changes = TableMigration.plan(SqliteConfig.defaults(Path.of("metrics.db")));  // nothing written
 * TableMigration.apply(SqliteConfig.defaults(Path.of("metrics.db")));
 * }</pre>
 */
public final class TableMigration {
    private TableMigration() {
    }

    /**
     * The SQL statements opening a recorder would run on {@code config}'s file; empty when it fits.
     * Reads only.
     *
     * @throws SchemaMismatchException when the table has another shape
     * @throws MetricsException        when the file cannot be read
     */
    public static List<String> plan(SqliteConfig config) {
        return Stores.migrationPlan(java.util.Objects.requireNonNull(config, "config"));
    }

    /**
     * Runs them: creates or adopts the table (and its indexes), as opening a recorder does.
     *
     * @return the statements that were planned (empty when there was nothing to change)
     * @throws SchemaMismatchException when the table has another shape
     * @throws MetricsException        when the file cannot be written
     */
    public static List<String> apply(SqliteConfig config) {
        return Stores.migrate(java.util.Objects.requireNonNull(config, "config"));
    }
}
