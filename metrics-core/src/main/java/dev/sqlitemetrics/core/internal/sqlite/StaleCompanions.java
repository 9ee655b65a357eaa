package dev.sqlitemetrics.core.internal.sqlite;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The -wal and -shm files this recorder wrote through. After the database was deleted or replaced,
 * they would be applied to whatever file gets the name next (SQLite pairs them by name) and destroy
 * it; {@link #setAside()} moves them out of the way. Writer thread only.
 */
final class StaleCompanions {
    private static final Logger LOG = LoggerFactory.getLogger(StaleCompanions.class);

    private final Path database;
    private FileIdentity[] companions;

    StaleCompanions(Path database) {
        this.database = database;
    }

    /** Notes the companions' identities once, after the first commit created them. */
    void remember() {
        if (companions == null) {
            companions = new FileIdentity[] {FileIdentity.ofIfPresent(Path.of(database + "-wal")),
                    FileIdentity.ofIfPresent(Path.of(database + "-shm"))};
        }
    }

    /**
     * Moves the companions aside (never deletes: they may hold the old file's last commits), and
     * only those that are still the very files this recorder wrote through.
     */
    void setAside() {
        if (companions == null) {
            return;
        }
        for (FileIdentity companion : companions) {
            if (companion != null && companion.change() == FileIdentity.Change.NONE) {
                Path aside = companion.path().resolveSibling(companion.path().getFileName() + ".moved-"
                        + System.currentTimeMillis());
                try {
                    Files.move(companion.path(), aside);
                    LOG.warn("sqlite-metrics moved {} to {}: it belongs to the database that was at {} before it"
                            + " was deleted or replaced", companion.path(), aside, database);
                } catch (IOException e) {
                    LOG.warn("sqlite-metrics could not move the stale {} aside", companion.path(), e);
                }
            }
        }
    }
}
