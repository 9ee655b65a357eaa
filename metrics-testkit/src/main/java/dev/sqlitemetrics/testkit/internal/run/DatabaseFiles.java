package dev.sqlitemetrics.testkit.internal.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The files of one SQLite database, for a harness that starts each run on a fresh one. Internal. */
public final class DatabaseFiles {
    private static final String[] SUFFIXES = {"", "-wal", "-shm", "-journal"};

    private DatabaseFiles() {
    }

    /** Deletes the database and its companions (the recorder's {@code .lock} sidecar may stay: it holds no data). */
    public static void delete(Path database) throws IOException {
        for (String suffix : SUFFIXES) {
            Files.deleteIfExists(Path.of(database + suffix));
        }
    }

    /** Deletes a scratch database whole: its companions and the recorder's {@code .lock} sidecar too. */
    public static void deleteWithSidecar(Path database) throws IOException {
        delete(database);
        Files.deleteIfExists(Path.of(database + ".lock"));
    }
}
