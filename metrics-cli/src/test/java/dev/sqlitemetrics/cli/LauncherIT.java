package dev.sqlitemetrics.cli;

import dev.sqlitemetrics.core.MetricsRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher: the first call makes the class-data archive (once), later calls load the
 * command's classes from it, the command's exit codes pass through, and an archive that a killed
 * process left half made neither blocks nor breaks a call.
 */
@Timeout(120)
class LauncherIT {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private Run run(Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Launcher.path().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = Launcher.process(command, dir.resolve("cache"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private List<Path> archives() throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("cache"))) {
            return files.filter(file -> file.getFileName().toString().endsWith(".jsa")).toList();
        }
    }

    @Test
    void theFirstCallMakesTheArchiveAndLaterCallsLoadFromIt() throws Exception {
        String db = dir.resolve("metrics.db").toString();
        Run first = run(Map.of(), "record", "--db", db, "first");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.err()).isEmpty();
        assertThat(archives()).hasSize(1);
        assertThat(dir.resolve("cache").resolve("native")).isDirectory();

        Run second = run(Map.of("SQLITE_METRICS_JAVA_OPTS", "-Xlog:class+load=info:file=" + dir.resolve("classes.log")),
                "record", "--db", db, "second");
        assertThat(second.exit()).as(second.err()).isZero();
        List<String> loaded = Files.readAllLines(dir.resolve("classes.log"));
        assertThat(loaded).filteredOn(line -> line.contains(" dev.sqlitemetrics.core.internal.write.GroupCommitRecorder "))
                .singleElement().satisfies(line -> assertThat(line).contains("shared objects file"));
        assertThat(archives()).hasSize(1);
        try (MetricsRecorder recorder = MetricsRecorder.open(Path.of(db))) {
            assertThat(recorder.count()).isEqualTo(2);
        }
    }

    @Test
    void exitCodesPassThrough() throws Exception {
        assertThat(run(Map.of(), "record", "--db", dir.resolve("metrics.db").toString()).exit()).isEqualTo(2);
        Run notWritten = run(Map.of("SQLITE_METRICS_CDS", "off"), "record", "--db", dir.resolve("no/such/dir/m.db").toString(), "x");
        assertThat(notWritten.exit()).isEqualTo(ExitCodes.PERMANENT);
        assertThat(notWritten.err()).startsWith("not written, and trying again will not help: ");
        assertThat(run(Map.of(), "--help").out()).contains("Commands:").contains("report");
    }

    @Test
    void anArchiveLeftHalfMadeIsNeitherUsedNorInTheWayForLong() throws Exception {
        String db = dir.resolve("metrics.db").toString();
        assertThat(run(Map.of(), "record", "--db", db, "makes the archive").exit()).isZero();
        Path archive = archives().get(0);
        Files.delete(archive);
        // As a process killed while making it leaves things: a folder of its own, half an archive inside.
        Path making = archive.resolveSibling(archive.getFileName() + ".making");
        Files.createDirectories(making);
        Files.write(making.resolve("a.jsa"), new byte[] {1, 2, 3});
        Run meanwhile = run(Map.of(), "record", "--db", db, "while it is being made");
        assertThat(meanwhile.exit()).as(meanwhile.err()).isZero();
        assertThat(archives()).isEmpty();

        Files.setLastModifiedTime(making, FileTime.from(Instant.now().minusSeconds(3600)));
        Run later = run(Map.of(), "record", "--db", db, "an hour later");
        assertThat(later.exit()).as(later.err()).isZero();
        assertThat(archives()).containsExactly(archive);
        assertThat(making).doesNotExist();
    }
}
