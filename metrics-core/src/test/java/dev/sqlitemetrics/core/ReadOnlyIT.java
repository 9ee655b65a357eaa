package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.testing.Db;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reliability scenario 17 (docs/reliability.md): a read-only database file or folder. Root ignores permissions, so the
 * writer runs as {@code nobody} through {@code setpriv}, from a world-readable copy of the classpath.
 */
class ReadOnlyIT {
    private Path root;

    @BeforeEach
    void worldReadableCopyOfTheClasspath() throws Exception {
        Assertions.assertTrue(run(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "true"), null)
                .startsWith("EXIT 0"), "setpriv cannot switch to user nobody here (needs root)");
        root = Files.createTempDirectory(Path.of("/tmp"), "sqlite-metrics-readonly");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path cp = Files.createDirectories(root.resolve("cp"));
        Files.createDirectories(root.resolve("native"));
        run(List.of("chown", "65534:65534", root.resolve("native").toString()), null);
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path source = Path.of(entry);
            if (!Files.exists(source)) {
                continue;
            }
            Path target = cp.resolve((n++) + "-" + source.getFileName());
            copy(source, target);
            entries.add(target.toString());
        }
        run(List.of("chmod", "-R", "a+rX", root.toString()), null);
        classpath = String.join(File.pathSeparator, entries);
    }

    private String classpath;

    @AfterEach
    void cleanUp() throws IOException {
        if (root != null) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    @Test
    @Timeout(120)
    void readOnlyDatabaseFileIsATypedReadOnlyFailureNamingThePath() throws Exception {
        Path data = Files.createDirectories(root.resolve("data-open"));
        run(List.of("chown", "65534:65534", data.toString()), null);
        Path db = data.resolve("metrics.db");
        try (MetricsRecorder recorder = MetricsRecorder.open(db)) {
            recorder.record("written by root");
        }
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("r--r--r--"));
        String output = runAsNobody(db);
        assertThat(output).contains("THROWN ReadOnlyDatabaseException").contains(db.toString());
        assertThat(Db.query(db, "SELECT count(*) FROM messages")).isEqualTo("1");
    }

    @Test
    @Timeout(120)
    void readOnlyFolderIsATypedReadOnlyFailureNamingThePath() throws Exception {
        Path data = Files.createDirectories(root.resolve("data-closed"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("r-xr-xr-x"));
        Path db = data.resolve("metrics.db");
        String output = runAsNobody(db);
        assertThat(output).contains("THROWN ReadOnlyDatabaseException").contains(db.toString());
        assertThat(db).doesNotExist();
    }

    @Test
    @Timeout(120)
    void aFileInAFolderThisUserCannotWriteIsReadWithNoWriterAboutAndWithOne() throws Exception {
        Path data = Files.createDirectories(root.resolve("data-monitored"));
        Path db = data.resolve("metrics.db");
        try (MetricsRecorder recorder = MetricsRecorder.open(db)) {
            for (int i = 0; i < 3; i++) {
                recorder.record("written by root " + i);
            }
        }
        assertThat(Path.of(db + "-wal")).as("a closed recorder leaves no -wal").doesNotExist();
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("r-xr-xr-x"));
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("r--r--r--"));
        // No writer about: the file is read as it is.
        assertThat(runAsNobody(db, "read")).contains("READ 3");
        // A writer has it open: its -wal and -shm, readable by all, are what reading needs.
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
        try (MetricsRecorder recorder = MetricsRecorder.open(db)) {
            recorder.record("written while monitored");
            run(List.of("chmod", "a+r", db + "-wal", db + "-shm"), null);
            assertThat(runAsNobody(db, "read")).contains("READ 4");
            // Companions this user cannot read: the failure says which files reading needs.
            run(List.of("chmod", "go-r", db + "-shm"), null);
            assertThat(runAsNobody(db, "read")).contains("THROWN").contains("metrics.db-shm and metrics.db-wal files"
                    + " readable by this user");
        }
    }

    private String runAsNobody(Path db, String... mode) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", java,
                "-Dorg.sqlite.tmpdir=" + root.resolve("native"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                "-cp", classpath, ReadOnlyChild.class.getName(), db.toString()));
        command.addAll(List.of(mode));
        String output = run(command, root);
        assertThat(output).as("child output").startsWith("EXIT 0");
        return output;
    }

    private static String run(List<String> command, Path workDir) throws InterruptedException {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            if (workDir != null) {
                builder.directory(workDir.toFile());
                builder.environment().put("HOME", workDir.toString());
            }
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "TIMEOUT\n" + output;
            }
            return "EXIT " + process.exitValue() + "\n" + output;
        } catch (IOException e) {
            return "FAILED " + e;
        }
    }

    private static void copy(Path source, Path target) throws IOException {
        if (Files.isDirectory(source)) {
            try (Stream<Path> paths = Files.walk(source)) {
                for (Path path : paths.toList()) {
                    Path to = target.resolve(source.relativize(path).toString());
                    if (Files.isDirectory(path)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(path, to, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } else {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
