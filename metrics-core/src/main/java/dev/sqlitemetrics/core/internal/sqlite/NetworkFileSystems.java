package dev.sqlitemetrics.core.internal.sqlite;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * The policy for a database on a network file system: warn at open. SQLite's locks are unreliable
 * there, and WAL's shared memory does not work across hosts, so writers on several hosts can
 * corrupt the file; one host alone may work, which is why this warns rather than refuses.
 */
final class NetworkFileSystems {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkFileSystems.class);
    private static final Set<String> NETWORK = Set.of("nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "9p",
            "ceph", "glusterfs", "fuse.glusterfs", "fuse.sshfs", "sshfs", "afs", "lustre", "gpfs", "davfs", "fuse.davfs2",
            "ncpfs", "coda", "fuse.s3fs", "fuse.rclone");

    private NetworkFileSystems() {
    }

    /** Whether a file store of {@code type} (as {@code FileStore.type()} names it) is a network file system. */
    static boolean isNetwork(String type) {
        return type != null && NETWORK.contains(type.toLowerCase(Locale.ROOT));
    }

    /**
     * Logs a warning when {@code database} lives on a network file system.
     *
     * @return whether it does, or may: true when its file system cannot be told
     */
    static boolean warnIfNetwork(Path database) {
        try {
            String type = Files.getFileStore(database).type();
            boolean network = isNetwork(type);
            if (network) {
                LOG.warn("sqlite-metrics: {} is on a network file system ({}): SQLite's locking is unreliable there"
                        + " and WAL needs every writer on one host; keep all writers of this file on one machine, or"
                        + " move it to a local disk", database, type);
            }
            return network;
        } catch (IOException e) {
            LOG.debug("sqlite-metrics could not tell the file system of {}", database, e);
            return true;
        }
    }
}
