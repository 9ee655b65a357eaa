package dev.sqlitemetrics.testkit.internal.powercut;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one file holds that is not yet on the backing disk: pages written since its last sync, and
 * its size as writers see it. Reads see the held pages over the backing file; a sync writes them
 * through and forgets them; a power cut forgets them unwritten. Size changes (a truncation, an
 * extension by a write past the end) are held back the same way: the backing file keeps its synced
 * size until the next sync. Not thread-safe: the file system serialises every call.
 */
final class HeldFile {
    static final int PAGE = 4096;

    private Path backing;
    /** The size writers see. */
    private long size;
    /**
     * Backing bytes at or past this offset are not visible: a truncation since the last sync cut them
     * off, even where a later write extended the file again (the gap reads as zeros).
     */
    private long visibleBacking;
    private final TreeMap<Long, byte[]> pages = new TreeMap<>();

    /** A file with nothing held, as the backing file is now. */
    HeldFile(Path backing) throws IOException {
        this.backing = backing;
        try (RandomAccessFile file = new RandomAccessFile(backing.toFile(), "r")) {
            this.size = file.length();
        }
        this.visibleBacking = size;
    }

    /** The same held data, for the backing file's new name after a rename. */
    HeldFile movedTo(Path renamed) {
        backing = renamed;
        return this;
    }

    long size() {
        return size;
    }

    /** Whether anything written since the last sync would be lost by a power cut. */
    boolean dirty() {
        return !pages.isEmpty() || size != visibleBacking || visibleBacking != backingLength();
    }

    /** Up to {@code length} bytes at {@code offset}, as writers see the file. */
    byte[] read(long offset, int length) throws IOException {
        if (offset >= size) {
            return new byte[0];
        }
        int count = (int) Math.min(length, size - offset);
        byte[] out = new byte[count];
        try (RandomAccessFile file = new RandomAccessFile(backing.toFile(), "r")) {
            int done = 0;
            while (done < count) {
                long at = offset + done;
                long index = at / PAGE;
                int within = (int) (at % PAGE);
                int chunk = Math.min(PAGE - within, count - done);
                byte[] page = pages.containsKey(index) ? pages.get(index) : backingPage(file, index);
                System.arraycopy(page, within, out, done, chunk);
                done += chunk;
            }
        }
        return out;
    }

    /** Holds {@code data} at {@code offset}; the file grows if it ends past the end. */
    void write(long offset, byte[] data) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(backing.toFile(), "r")) {
            int done = 0;
            while (done < data.length) {
                long at = offset + done;
                long index = at / PAGE;
                int within = (int) (at % PAGE);
                int chunk = Math.min(PAGE - within, data.length - done);
                byte[] page = pages.get(index);
                if (page == null) {
                    page = backingPage(file, index);
                    pages.put(index, page);
                }
                System.arraycopy(data, done, page, within, chunk);
                done += chunk;
            }
        }
        size = Math.max(size, offset + data.length);
    }

    /** Holds a new size: bytes past it are gone, and read as zeros if the file grows again. */
    void truncate(long newSize) {
        if (newSize < size) {
            pages.tailMap(newSize / PAGE, true).entrySet().removeIf(page -> page.getKey() * PAGE >= newSize);
            byte[] last = pages.get(newSize / PAGE);
            if (last != null) {
                Arrays.fill(last, (int) (newSize % PAGE), PAGE, (byte) 0);
            }
            visibleBacking = Math.min(visibleBacking, newSize);
        }
        size = newSize;
    }

    /** Writes what is held to the backing file and forgets it: from now on it survives a cut. */
    void sync() throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(backing.toFile(), "rw")) {
            if (file.length() > visibleBacking) {
                file.setLength(visibleBacking);
            }
            for (Map.Entry<Long, byte[]> page : pages.entrySet()) {
                long at = page.getKey() * PAGE;
                int length = (int) Math.min(PAGE, size - at);
                if (length > 0) {
                    file.seek(at);
                    file.write(page.getValue(), 0, length);
                }
            }
            file.setLength(size);
            // No fsync of the backing file: the model's power cut is the only one this disk must survive.
        }
        pages.clear();
        visibleBacking = size;
    }

    private byte[] backingPage(RandomAccessFile file, long index) throws IOException {
        byte[] page = new byte[PAGE];
        long start = index * PAGE;
        long end = Math.min(start + PAGE, Math.min(visibleBacking, file.length()));
        if (end > start) {
            file.seek(start);
            file.readFully(page, 0, (int) (end - start));
        }
        return page;
    }

    private long backingLength() {
        return backing.toFile().length();
    }
}
