package dev.sqlitemetrics.core;

/**
 * How hard SQLite syncs to disk at each commit.
 *
 * <p>Every level survives a crash of the writing process. Only {@link #FULL} (in WAL mode) also
 * survives a power loss or operating system crash. See
 * <a href="https://www.sqlite.org/pragma.html#pragma_synchronous">PRAGMA synchronous</a>.
 */
public enum Synchronous {
    /** No fsync at all: fastest, may corrupt the file on power loss. */
    OFF(0),
    /** In WAL mode: fsync at checkpoints only. Survives process crashes; a power loss may roll
     *  back the last commits (never corrupts). The documented faster opt-in. */
    NORMAL(1),
    /** fsync at every commit: an acknowledged record survives power loss. The default. */
    FULL(2),
    /** Like FULL, plus an fsync of the directory after the rollback journal is unlinked. */
    EXTRA(3);

    private final int level;

    Synchronous(int level) {
        this.level = level;
    }

    /** The number SQLite reports for this level in {@code PRAGMA synchronous}. */
    public int level() {
        return level;
    }
}
