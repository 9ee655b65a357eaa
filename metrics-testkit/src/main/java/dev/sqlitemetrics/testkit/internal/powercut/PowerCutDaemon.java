package dev.sqlitemetrics.testkit.internal.powercut;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The power-cut file system's own process, driven by {@link PowerCutMount} over its standard input:
 * {@code CUT} cuts the power, {@code UNSYNCED} lists the files a cut would lose data of, {@code HOLD_SYNCS}
 * makes every {@code fsync} wait (a disk that stops answering) until {@code RELEASE_SYNCS}, {@code UNMOUNT}
 * (or the end of its input, when its parent dies) unmounts and exits. It answers each command with a
 * line that starts with the command's name.
 *
 * <p>A process of its own because a FUSE server must never use its own mount: a page fault on a
 * memory-mapped file of the mount (SQLite's {@code -shm}) holds the process's memory map lock while it
 * waits for the server, and the server's JVM needs that lock to allocate memory.
 */
public final class PowerCutDaemon {
    private PowerCutDaemon() {
    }

    /** Arguments: the backing folder and the mount point. */
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PowerCutFileSystem fileSystem = new PowerCutFileSystem(Path.of(args[0]).toRealPath());
        try {
            fileSystem.mount(Path.of(args[1]), false, false, PowerCutMount.OPTIONS);
        } catch (RuntimeException e) {
            out.println("FAILED " + e.getMessage());
            System.exit(1);
        }
        out.println("MOUNTED");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            for (String line = in.readLine(); line != null && !line.equals("UNMOUNT"); line = in.readLine()) {
                switch (line) {
                    case "CUT" -> {
                        fileSystem.cut();
                        out.println("CUT");
                    }
                    case "UNSYNCED" -> out.println("UNSYNCED " + String.join("\t", fileSystem.unsynced()));
                    case "HOLD_SYNCS" -> {
                        fileSystem.holdSyncs();
                        out.println("HOLD_SYNCS");
                    }
                    case "RELEASE_SYNCS" -> {
                        fileSystem.releaseSyncs();
                        out.println("RELEASE_SYNCS");
                    }
                    default -> out.println("UNKNOWN " + line);
                }
            }
        } finally {
            // Whatever is still held is lost, as at a cut: unmounting must not write it through.
            fileSystem.cut();
            fileSystem.releaseSyncs();
            fileSystem.umount();
            out.println("UNMOUNTED");
        }
        System.exit(0);
    }
}
