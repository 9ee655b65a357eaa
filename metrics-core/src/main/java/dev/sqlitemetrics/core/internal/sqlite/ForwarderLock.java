package dev.sqlitemetrics.core.internal.sqlite;

import dev.sqlitemetrics.core.WriteOutcome;
import dev.sqlitemetrics.core.internal.write.StoreFailure;
import dev.sqlitemetrics.core.internal.write.StoreFailure.Kind;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * The lock file that keeps a second forwarder of one file to one server out: {@code
 * <file>.forward-<server>.lock} beside the database, held for as long as the forwarder runs and
 * released by the operating system when its process dies.
 */
final class ForwarderLock implements AutoCloseable {
    private final FileChannel channel;

    private ForwarderLock(FileChannel channel) {
        this.channel = channel;
    }

    /**
     * Takes the lock of {@code database}'s forwarding to {@code target}.
     *
     * @throws StoreFailure when another forwarder holds it (busy), or the lock file cannot be made
     */
    static ForwarderLock take(Path database, String target) {
        String name = database.getFileName() + ".forward-"
                + UUID.nameUUIDFromBytes(target.getBytes(StandardCharsets.UTF_8)).toString().substring(0, 13) + ".lock";
        Path path = database.resolveSibling(name);
        FileChannel channel;
        FileLock lock;
        try {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StoreFailure("creating the forwarder's lock file " + path + " failed: " + e, e, Kind.READ_ONLY,
                    SqliteErrors.NONE, WriteOutcome.NOT_WRITTEN, false);
        }
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StoreFailure("locking the forwarder's lock file " + path + " failed: " + e, e, Kind.READ_ONLY,
                    SqliteErrors.NONE, WriteOutcome.NOT_WRITTEN, false);
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new StoreFailure("another forwarder is shipping " + database + " to " + target + " (it holds "
                    + path + ")", null, Kind.BUSY, SqliteErrors.NONE, WriteOutcome.NOT_WRITTEN, false);
        }
        return new ForwarderLock(channel);
    }

    /** Releases the lock (closing the channel does). */
    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Released anyway when the process ends.
        }
    }
}
