package dev.sqlitemetrics.testkit.internal.cli;

import dev.sqlitemetrics.core.JournalMode;

import java.util.List;

/**
 * The classic one-row-per-writer experiment's cases, replayed with the naive writer and the recorder
 * side by side, each named after what it does.
 */
public enum Preset {
    /** 5, 50 and 250 parallel writers on a new table, rollback journal. */
    NEW_TABLE(List.of(5, 50, 250), 0, JournalMode.DELETE),
    /** 50 parallel writers on a table that already holds 10,000 rows. */
    POPULATED_TABLE(List.of(50), 10_000, JournalMode.DELETE),
    /** 10,000 rows written one after another, then 100 parallel writers. */
    SEQUENTIAL_THEN_PARALLEL(List.of(100), 10_000, JournalMode.DELETE),
    /** 250 and 500 parallel writers in WAL mode. */
    WAL_BURST(List.of(250, 500), 0, JournalMode.WAL);

    private final List<Integer> writers;
    private final int prefillRows;
    private final JournalMode baselineJournalMode;

    Preset(List<Integer> writers, int prefillRows, JournalMode baselineJournalMode) {
        this.writers = writers;
        this.prefillRows = prefillRows;
        this.baselineJournalMode = baselineJournalMode;
    }

    public List<Integer> writers() {
        return writers;
    }

    public int prefillRows() {
        return prefillRows;
    }

    /** The journal mode the naive writer runs this case in, as the experiment did. */
    public JournalMode baselineJournalMode() {
        return baselineJournalMode;
    }
}
