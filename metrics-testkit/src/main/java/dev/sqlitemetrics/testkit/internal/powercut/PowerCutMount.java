package dev.sqlitemetrics.testkit.internal.powercut;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A folder mounted through the power-cut file system: everything written under {@link #path()} lands
 * in the backing folder only when its file is {@code fsync}ed (or {@code fdatasync}ed);
 * {@link #cutPower()} drops the rest, as a machine losing power would. Mount the same backing folder
 * again to see what survived. The file system runs in a JVM of its own, so this process may use the
 * mount like any other (a FUSE server must not use its own mount).
 *
 * <p>Needs Linux, {@code /dev/fuse}, libfuse 2 ({@code libfuse.so.2}, Debian's {@code libfuse2}) and
 * root (or a {@code fusermount} the user may run). {@link #unavailable()} says what is missing.
 */
public final class PowerCutMount implements AutoCloseable {
    static final String[] OPTIONS = {
            // Processes share the kernel's page cache of each file, so SQLite's memory-mapped -shm stays
            // coherent between them; nothing but this mount changes the files.
            "-o", "kernel_cache",
            "-o", "fsname=power-cut"};
    private static final long START_SECONDS = 60;

    private final Path backing;
    private final Path mountPoint;
    private final Process daemon;
    private final BufferedReader answers;
    private final Writer commands;
    private boolean closed;

    private PowerCutMount(Path backing, Path mountPoint, Process daemon) {
        this.backing = backing;
        this.mountPoint = mountPoint;
        this.daemon = daemon;
        this.answers = new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8));
        this.commands = new OutputStreamWriter(daemon.getOutputStream(), StandardCharsets.UTF_8);
    }

    /** Why a mount cannot be made on this machine, or empty when it can. */
    public static Optional<String> unavailable() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return Optional.of("the power-cut file system needs Linux (FUSE)");
        }
        if (!Files.exists(Path.of("/dev/fuse"))) {
            return Optional.of("/dev/fuse is missing: FUSE is not available here");
        }
        boolean libfuse = Stream.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib/x86_64-linux-gnu",
                "/lib/aarch64-linux-gnu", "/usr/lib", "/usr/lib64").anyMatch(dir -> Files.exists(Path.of(dir, "libfuse.so.2")));
        if (!libfuse) {
            return Optional.of("libfuse.so.2 is missing (Debian/Ubuntu: apt-get install libfuse2 fuse)");
        }
        if (!"root".equals(System.getProperty("user.name")) && !Files.isExecutable(Path.of("/usr/bin/fusermount"))) {
            return Optional.of("mounting needs root or fusermount (apt-get install fuse)");
        }
        return Optional.empty();
    }

    /**
     * Mounts {@code backing} at {@code mountPoint} (both created if missing; the mount point empty).
     *
     * @throws IllegalStateException with {@link #unavailable()}'s reason, or the mount's failure
     */
    public static PowerCutMount mount(Path backing, Path mountPoint) throws IOException {
        unavailable().ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
        Files.createDirectories(backing);
        Files.createDirectories(mountPoint);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process daemon = new ProcessBuilder(java.toString(), "-Xmx256m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), PowerCutDaemon.class.getName(),
                backing.toAbsolutePath().toString(), mountPoint.toAbsolutePath().toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        PowerCutMount mount = new PowerCutMount(backing, mountPoint, daemon);
        String answer = mount.answer("MOUNTED", START_SECONDS);
        if (!answer.equals("MOUNTED")) {
            daemon.destroyForcibly();
            throw new IllegalStateException("cannot mount the power-cut file system at " + mountPoint + ": " + answer);
        }
        return mount;
    }

    /** Where to write: the mounted folder. */
    public Path path() {
        return mountPoint;
    }

    /** The folder that holds what was synced. */
    public Path backing() {
        return backing;
    }

    /**
     * Cuts the power: every write and size change not yet synced is dropped at once, and every later
     * call on the mount fails with EIO (the machine is off). Unmount with {@link #close()}.
     */
    public void cutPower() throws IOException {
        ask("CUT");
    }

    /** From now on every {@code fsync} on the mount waits, as on a disk that stopped answering, until {@link #releaseSyncs()}. */
    public void holdSyncs() throws IOException {
        ask("HOLD_SYNCS");
    }

    /** Lets every held {@code fsync} go on. */
    public void releaseSyncs() throws IOException {
        ask("RELEASE_SYNCS");
    }

    /** Paths (from the mount's root) of files holding data a cut would lose now. */
    public Set<String> unsyncedFiles() throws IOException {
        String listed = ask("UNSYNCED").substring("UNSYNCED".length()).strip();
        return listed.isEmpty() ? Set.of() : new TreeSet<>(List.of(listed.split("\t")));
    }

    /** Unmounts. Data not yet synced is lost, as after a cut. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            commands.write("UNMOUNT\n");
            commands.flush();
            if (!daemon.waitFor(START_SECONDS, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
                lazyUnmount();
            }
        } catch (IOException e) {
            daemon.destroyForcibly();
            lazyUnmount();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            daemon.destroyForcibly();
            lazyUnmount();
        }
    }

    private void lazyUnmount() throws IOException {
        try {
            new ProcessBuilder("umount", "-l", mountPoint.toAbsolutePath().toString()).inheritIO().start()
                    .waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized String ask(String command) throws IOException {
        if (closed) {
            throw new IllegalStateException("the power-cut mount at " + mountPoint + " is closed");
        }
        commands.write(command + "\n");
        commands.flush();
        return answer(command, START_SECONDS);
    }

    /** The daemon's next line starting with {@code expected} (or a failure), skipping anything else it prints. */
    private String answer(String expected, long seconds) throws IOException {
        List<String> other = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            String line = answers.readLine();
            if (line == null) {
                return "the file system's process ended" + (other.isEmpty() ? "" : ": " + String.join("; ", other));
            }
            if (line.startsWith(expected) || line.startsWith("FAILED")) {
                return line;
            }
            other.add(line);
        }
        return "no answer to " + expected + " in " + seconds + " s";
    }
}
