package dev.sqlitemetrics.benchmarks;

import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.core.Synchronous;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A fresh database file with the recorder's table, in its own temporary folder, for one trial. */
final class BenchDatabase implements AutoCloseable {
    private final Path dir;
    private final Path file;

    private BenchDatabase(Path dir) {
        this.dir = dir;
        this.file = dir.resolve("bench.db");
    }

    /** Creates the file and table (WAL) with the recorder itself, so every benchmark meets the same schema. */
    static BenchDatabase create(Synchronous synchronous) throws IOException {
        BenchDatabase database = new BenchDatabase(Files.createTempDirectory("sqlite-metrics-bench"));
        MetricsRecorder.open(SqliteConfig.builder(database.file).synchronous(synchronous).build()).close();
        return database;
    }

    Path file() {
        return file;
    }

    String url() {
        return "jdbc:sqlite:" + file;
    }

    @Override
    public void close() throws IOException {
        Folders.deleteTree(dir);
    }
}
