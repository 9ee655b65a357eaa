package dev.sqlitemetrics.core.internal.forward;

import java.util.List;
import java.util.UUID;

/**
 * The server side of forwarding: one table that many files ship into. Methods throw
 * {@code StoreFailure}s, classified. One thread at a time. Internal: not part of the API.
 */
public interface Central extends AutoCloseable {

    /**
     * The server's own identity with the table's: the same however the server is reached (another
     * host name, another URL spelling, a {@code DataSource}), different for every server and table.
     * Connects when needed.
     */
    String identify();

    /**
     * Inserts {@code rows} in one transaction, each with the forwarding host and {@code source}, skipping
     * ids the table already holds, and commits. Returns how many were new. When this throws, the
     * transaction may or may not have committed: shipping the same rows again is what settles it.
     */
    int insert(UUID source, List<ForwardedRow> rows);

    @Override
    void close();
}
