package dev.sqlitemetrics.core.internal.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The device and inode of the database file, taken at open and compared before and after each
 * batch. In WAL mode SQLite keeps acknowledging inserts into a file that was deleted or replaced
 * under it; comparing the identity is how the recorder notices. Uses {@code stat} only: opening the
 * database file with Java I/O would drop SQLite's POSIX locks when closed.
 */
final class FileIdentity {
    private final Path path;
    private final Object key;

    private FileIdentity(Path path, Object key) {
        this.path = path;
        this.key = key;
    }

    /** The identity of the file now at {@code path}. */
    static FileIdentity of(Path path) throws IOException {
        return new FileIdentity(path, read(path));
    }

    /** The identity of the file at {@code path}, or {@code null} if there is none or it cannot be read. */
    static FileIdentity ofIfPresent(Path path) {
        try {
            return of(path);
        } catch (IOException e) {
            return null;
        }
    }

    /** Whether the file now at the path is still this one. */
    boolean stillThere() {
        return change() == null;
    }

    Path path() {
        return path;
    }

    /**
     * Describes how the file at the path differs from the one seen at open, or returns {@code null}
     * when it is the same file.
     */
    String change() {
        try {
            Object now = read(path);
            return key.equals(now) ? null : "was replaced by another file since the recorder opened it";
        } catch (NoSuchFileException e) {
            return "was deleted since the recorder opened it";
        } catch (IOException e) {
            return "could not be checked (" + e + ")";
        }
    }

    private static Object read(Path path) throws IOException {
        try {
            Map<String, Object> attributes = Files.readAttributes(path, "unix:dev,ino");
            return attributes.get("dev") + ":" + attributes.get("ino");
        } catch (UnsupportedOperationException e) {
            // Not a Unix file system: fall back to the file key, where the platform has one.
            Object fileKey = Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            return fileKey != null ? fileKey : path;
        }
    }
}
