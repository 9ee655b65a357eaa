package dev.sqlitemetrics.testkit.internal.run;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A class-data-sharing archive of the classes a child JVM loads (the recorder, the driver, the pool,
 * the worker's command line), so that children map them instead of loading and verifying them
 * again: on two cores, 16 children start about a quarter faster.
 *
 * <p>The archive is made once per classpath by a template child that writes two records to a
 * scratch database and dumps the classes it loaded at exit, and kept in
 * {@code java.io.tmpdir/sqlite-metrics-cds} under a name derived from the JVM, the flags and every
 * classpath entry's size and modification time, so a rebuilt jar gets a new archive instead of a
 * stale one. Anything that goes wrong leaves children without it, as before; so does a classpath
 * with a folder of classes (a build's {@code target/classes}), which Java 17 cannot archive.
 * {@code -Dsqlitemetrics.testkit.classDataSharing=false} turns it off. Internal.
 */
final class ClassDataArchive {
    private static final Logger LOG = LoggerFactory.getLogger(ClassDataArchive.class);
    private static final String SWITCH = "sqlitemetrics.testkit.classDataSharing";
    private static final int KEPT_ARCHIVES = 8;
    private static List<String> options;

    private ClassDataArchive() {
    }

    /**
     * The options that make a child of this JVM's classpath use the archive, made on first call;
     * empty when there is none.
     */
    static synchronized List<String> jvmOptions() {
        if (options == null) {
            // A testkit on the module path starts its children from there: no archive of a class path then.
            boolean onModulePath = ClassDataArchive.class.getModule().isNamed();
            options = !onModulePath && Boolean.parseBoolean(System.getProperty(SWITCH, "true"))
                    ? options(Path.of(System.getProperty("java.io.tmpdir"), "sqlite-metrics-cds"),
                    System.getProperty("java.class.path"))
                    : List.of();
        }
        return options;
    }

    /**
     * The options for children with {@code classpath}, using or making the archive in {@code dir};
     * empty when there can be none.
     */
    static List<String> options(Path dir, String classpath) {
        if (hasDirectory(classpath)) {
            LOG.debug("no class-data-sharing archive for child JVMs: a directory on the classpath cannot be archived");
            return List.of();
        }
        try {
            Files.createDirectories(dir);
            Path archive = dir.resolve(fingerprint(classpath) + ".jsa");
            if (!Files.isRegularFile(archive)) {
                if (!dump(classpath, archive)) {
                    return List.of();
                }
                pruneOldArchives(dir);
            }
            // Silenced: a warning about an unusable archive would land in the child's output protocol.
            return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds*=off");
        } catch (IOException | RuntimeException e) {
            LOG.debug("no class-data-sharing archive for child JVMs", e);
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** Java 17 archives classes from jars only: a build's classes folder rules the archive out. */
    private static boolean hasDirectory(String classpath) {
        for (String entry : classpath.split(File.pathSeparator)) {
            if (new File(entry).isDirectory()) {
                return true;
            }
        }
        return false;
    }

    /** Runs the template child; true when it left a complete archive at {@code archive}. */
    private static boolean dump(String classpath, Path archive)
            throws IOException, InterruptedException {
        Path scratch = Files.createTempDirectory("sqlite-metrics-cds-template");
        Path partial = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            List<String> command = ChildJvm.javaCommand(classpath,
                    List.of("-XX:ArchiveClassesAtExit=" + partial, "-Xlog:cds*=off"),
                    "dev.sqlitemetrics.testkit.internal.run.WorkerCommand", List.of("--path", scratch.resolve("template.db").toString(),
                            "--writer", "RECORDER", "--threads", "2", "--records-per-writer", "1"));
            Process template = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try (OutputStream stdin = template.getOutputStream()) {
                // Released at once, and told to close once it has written: the whole protocol of a worker.
                stdin.write("GO\nCLOSE\n".getBytes(StandardCharsets.US_ASCII));
            }
            if (!template.waitFor(60, TimeUnit.SECONDS)) {
                template.destroyForcibly();
                return false;
            }
            if (template.exitValue() != 0 || !Files.isRegularFile(partial)) {
                LOG.debug("the template child for a class-data-sharing archive exited with {}", template.exitValue());
                return false;
            }
            Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return true;
        } finally {
            Files.deleteIfExists(partial);
            DatabaseFiles.deleteWithSidecar(scratch.resolve("template.db"));
            Files.deleteIfExists(scratch);
        }
    }

    /** Every rebuilt classpath makes a new archive (~6 MB): keep the newest few. */
    private static void pruneOldArchives(Path dir) throws IOException {
        List<Path> archives;
        try (Stream<Path> files = Files.list(dir)) {
            archives = files.filter(file -> file.getFileName().toString().endsWith(".jsa"))
                    .sorted(Comparator.comparingLong((Path file) -> file.toFile().lastModified()).reversed()).toList();
        }
        for (Path old : archives.subList(Math.min(KEPT_ARCHIVES, archives.size()), archives.size())) {
            // Another JVM may still map it: on Linux the mapping outlives the name.
            Files.deleteIfExists(old);
        }
    }

    /** Names the JVM, the flags and the exact classpath contents: an archive is only valid for those. */
    private static String fingerprint(String classpath) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            StringBuilder text = new StringBuilder(ChildJvm.JAVA + "\n" + System.getProperty("java.vm.version") + "\n"
                    + ChildJvm.JVM_FLAGS);
            for (String entry : classpath.split(File.pathSeparator)) {
                File file = new File(entry);
                text.append('\n').append(file.getAbsolutePath()).append(' ').append(file.length()).append(' ')
                        .append(file.lastModified());
            }
            byte[] hash = digest.digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
