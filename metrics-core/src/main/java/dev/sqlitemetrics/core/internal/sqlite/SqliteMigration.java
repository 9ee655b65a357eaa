package dev.sqlitemetrics.core.internal.sqlite;

import dev.sqlitemetrics.core.SqliteConfig;

import java.util.List;

/** Adopting a file's table on purpose: what opening a recorder would change, and doing it. */
public final class SqliteMigration {
    private SqliteMigration() {
    }

    /** @see SqliteOpener#plan() */
    public static List<String> plan(SqliteConfig config) {
        return new SqliteOpener(config, new SqlitePragmas(config), new SqliteSchema(config.tableName())).plan();
    }

    /** Creates or adopts the table as opening a recorder does; what it changed. */
    public static List<String> apply(SqliteConfig config) {
        List<String> planned = plan(config);
        if (!planned.isEmpty()) {
            new SqliteOpener(config, new SqlitePragmas(config), new SqliteSchema(config.tableName())).prepare();
        }
        return planned;
    }
}
