package dev.sqlitemetrics.testkit.internal.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Child JVMs of a jar-only classpath (the CLI's runnable jar) share one archive of their classes;
 * a classpath with a classes folder gets none, and its children start as before.
 */
class ClassDataArchiveIT {
    /** Built by the package phase, before the integration tests. */
    private static final Path RUNNABLE_JAR = Path.of("target", "sqlite-metrics-testkit.jar").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void aChildOfTheRunnableJarMapsTheArchivedClasses() throws Exception {
        assertThat(RUNNABLE_JAR).as("the runnable jar, built by mvn package").exists();
        List<String> options = ClassDataArchive.options(dir, RUNNABLE_JAR.toString());

        assertThat(options).hasSize(2);
        Path archive = Path.of(options.get(0).substring("-XX:SharedArchiveFile=".length()));
        assertThat(archive.getParent()).isEqualTo(dir);
        assertThat(archive).isRegularFile();
        try (var files = Files.list(dir)) {
            assertThat(files).as("only the finished archive is left").containsExactly(archive);
        }
        // The same inputs find the archive instead of making another.
        assertThat(ClassDataArchive.options(dir, RUNNABLE_JAR.toString())).isEqualTo(options);

        List<String> command = ChildJvm.javaCommand(RUNNABLE_JAR.toString(),
                List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info"),
                "dev.sqlitemetrics.testkit.internal.run.WorkerCommand", List.of("--version"));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).contains("dev.sqlitemetrics.testkit.internal.run.WorkerCommand source: shared objects file (top)");
    }

    @Test
    @Timeout(60)
    void aClasspathWithAClassesFolderGetsNoArchive() throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Files.writeString(classes.resolve("A.class"), "not really a class");
        assertThat(ClassDataArchive.options(dir.resolve("archives"),
                classes + java.io.File.pathSeparator + RUNNABLE_JAR)).isEmpty();
        assertThat(dir.resolve("archives")).doesNotExist();
    }
}
