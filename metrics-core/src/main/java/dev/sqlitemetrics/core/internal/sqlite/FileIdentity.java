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

    /** How the file at the path compares with the one seen before. */
    enum Change {
        /** The same file. */
        NONE,
        /** No file at the path any more. */
        DELETED,
        /** Another file at the path. */
        REPLACED,
        /** The path could not be checked (an I/O error other than a missing file). */
        UNCHECKABLE
    }

    /** The device and inode as text: equal for the same file, from any process. */
    String key() {
        return String.valueOf(key);
    }

    Path path() {
        return path;
    }

    /** How the file now at the path differs from the one seen at open. */
    Change change() {
        try {
            return key.equals(read(path)) ? Change.NONE : Change.REPLACED;
        } catch (NoSuchFileException e) {
            return Change.DELETED;
        } catch (IOException e) {
            return Change.UNCHECKABLE;
        }
    }

    /** The change in words, for messages. */
    static String describe(Change change) {
        return switch (change) {
            case NONE -> "is unchanged";
            case DELETED -> "was deleted since the recorder opened it";
            case REPLACED -> "was replaced by another file since the recorder opened it";
            case UNCHECKABLE -> "could not be checked";
        };
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
