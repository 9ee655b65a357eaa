package dev.sqlitemetrics.testkit.internal.powercut;

import dev.sqlitemetrics.testkit.internal.ledger.Fault;
import dev.sqlitemetrics.testkit.internal.run.ChildJvm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * A power cut as a {@link Fault}: every writer JVM is killed and, in the same instant, every write
 * not yet synced to the power-cut file system is dropped; {@link #recover()} mounts the backing
 * folder afresh, as the machine coming back up would find its disk.
 */
public final class PowerCut implements Fault, AutoCloseable {
    private final Path backing;
    private final Path mountPoint;
    private PowerCutMount mount;

    private PowerCut(Path backing, Path mountPoint, PowerCutMount mount) {
        this.backing = backing;
        this.mountPoint = mountPoint;
        this.mount = mount;
    }

    /** Mounts {@code backing} at {@code mountPoint}; the writers' database goes under {@link #path()}. */
    public static PowerCut mount(Path backing, Path mountPoint) throws IOException {
        return new PowerCut(backing, mountPoint, PowerCutMount.mount(backing, mountPoint));
    }

    /** The mounted folder. */
    public Path path() {
        return mountPoint;
    }

    @Override
    public String name() {
        return "power-cut";
    }

    /** Later than a kill: writes through this file system are slower, and the first commits take longest. */
    @Override
    public long strikeAfterMillis(Random random) {
        return 200 + random.nextInt(1800);
    }

    /**
     * SIGKILL to every writer first, then the cut at once: a process never sees its writes fail, as
     * none would when the power goes (an fsync already in the file system may still complete, as one
     * already in the disk's hands would).
     */
    @Override
    public Strike strike(List<ChildJvm> writers, Random random) throws InterruptedException, IOException {
        int midWrite = (int) writers.stream().filter(Fault::writing).count();
        writers.forEach(ChildJvm::signalKill);
        mount.cutPower();
        for (ChildJvm writer : writers) {
            writer.kill();
        }
        return new Strike(writers, midWrite);
    }

    /** Power back on: unmounts the dead mount and mounts the backing folder again, holding nothing. */
    @Override
    public void recover() throws IOException {
        mount.close();
        mount = PowerCutMount.mount(backing, mountPoint);
    }

    @Override
    public void close() throws IOException {
        mount.close();
    }
}
