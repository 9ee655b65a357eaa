package dev.sqlitemetrics.testkit.internal.powercut;

import jnr.ffi.Pointer;
import jnr.ffi.types.mode_t;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;
import ru.serce.jnrfuse.ErrorCodes;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Statvfs;
import ru.serce.jnrfuse.struct.Timespec;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A FUSE file system that passes every call through to a backing folder, except that data written
 * to a file (and a change of its size) is held in memory until that file is {@code fsync}ed or
 * {@code fdatasync}ed; {@link #cut()} drops everything held, as a machine losing power loses its
 * page cache. Modelled on LazyFS. Namespace operations (create, unlink, rename, mkdir, rmdir, chmod,
 * times) reach the backing folder at once, as if every directory were synced after each: the model
 * loses unsynced data, never a name. POSIX locks are left to the kernel, which keeps them for the
 * processes using the mount.
 *
 * <p>Every call is serialised by one lock: simple and enough for a test campaign.
 */
final class PowerCutFileSystem extends FuseStubFS {
    private final Path backing;
    private final Map<String, HeldFile> held = new HashMap<>();
    private boolean powerOff;

    PowerCutFileSystem(Path backing) {
        this.backing = backing;
    }

    /** Drops every unsynced write and size change; from now on every call fails with EIO. */
    synchronized void cut() {
        powerOff = true;
        held.clear();
    }

    /** Files holding data that a cut would lose. */
    synchronized Set<String> unsynced() {
        Set<String> dirty = new java.util.TreeSet<>();
        held.forEach((path, file) -> {
            if (file.dirty()) {
                dirty.add(path);
            }
        });
        return dirty;
    }

    private Path real(String path) {
        return backing.resolve(path.substring(1));
    }

    private HeldFile file(String path) throws IOException {
        HeldFile file = held.get(path);
        if (file == null) {
            file = new HeldFile(real(path));
            held.put(path, file);
        }
        return file;
    }

    /** Runs an operation under the lock, turning Java's exceptions into errno. */
    private synchronized int call(Operation operation) {
        if (powerOff) {
            return -ErrorCodes.EIO();
        }
        try {
            return operation.run();
        } catch (NoSuchFileException e) {
            return -ErrorCodes.ENOENT();
        } catch (FileAlreadyExistsException e) {
            return -ErrorCodes.EEXIST();
        } catch (DirectoryNotEmptyException e) {
            return -ErrorCodes.ENOTEMPTY();
        } catch (NotDirectoryException e) {
            return -ErrorCodes.ENOTDIR();
        } catch (IOException | RuntimeException e) {
            return -ErrorCodes.EIO();
        }
    }

    @FunctionalInterface
    private interface Operation {
        int run() throws IOException;
    }

    @Override
    public int getattr(String path, FileStat stat) {
        return call(() -> {
            Path real = real(path);
            Map<String, Object> unix = Files.readAttributes(real, "unix:*", LinkOption.NOFOLLOW_LINKS);
            stat.st_mode.set(((Number) unix.get("mode")).longValue());
            stat.st_nlink.set(((Number) unix.get("nlink")).longValue());
            stat.st_uid.set(((Number) unix.get("uid")).longValue());
            stat.st_gid.set(((Number) unix.get("gid")).longValue());
            stat.st_ino.set(((Number) unix.get("ino")).longValue());
            HeldFile file = held.get(path);
            long size = file != null ? file.size() : ((Number) unix.get("size")).longValue();
            stat.st_size.set(size);
            stat.st_blocks.set((size + 511) / 512);
            stat.st_blksize.set(HeldFile.PAGE);
            time(stat.st_mtim, (FileTime) unix.get("lastModifiedTime"));
            time(stat.st_atim, (FileTime) unix.get("lastAccessTime"));
            time(stat.st_ctim, (FileTime) unix.get("ctime"));
            return 0;
        });
    }

    private static void time(Timespec spec, FileTime time) {
        long nanos = time.to(TimeUnit.NANOSECONDS);
        spec.tv_sec.set(Math.floorDiv(nanos, 1_000_000_000L));
        spec.tv_nsec.set(Math.floorMod(nanos, 1_000_000_000L));
    }

    @Override
    public int readdir(String path, Pointer buf, FuseFillDir filter, @off_t long offset, FuseFileInfo fi) {
        return call(() -> {
            filter.apply(buf, ".", null, 0);
            filter.apply(buf, "..", null, 0);
            try (Stream<Path> children = Files.list(real(path))) {
                for (Path child : children.toList()) {
                    filter.apply(buf, child.getFileName().toString(), null, 0);
                }
            }
            return 0;
        });
    }

    @Override
    public int open(String path, FuseFileInfo fi) {
        return call(() -> {
            if (!Files.isRegularFile(real(path))) {
                throw new NoSuchFileException(path);
            }
            return 0;
        });
    }

    @Override
    public int create(String path, @mode_t long mode, FuseFileInfo fi) {
        return call(() -> {
            Files.createFile(real(path));
            Files.setPosixFilePermissions(real(path), permissions(mode));
            return 0;
        });
    }

    @Override
    public int read(String path, Pointer buf, @size_t long size, @off_t long offset, FuseFileInfo fi) {
        return call(() -> {
            byte[] data = file(path).read(offset, (int) size);
            buf.put(0, data, 0, data.length);
            return data.length;
        });
    }

    @Override
    public int write(String path, Pointer buf, @size_t long size, @off_t long offset, FuseFileInfo fi) {
        return call(() -> {
            byte[] data = new byte[(int) size];
            buf.get(0, data, 0, data.length);
            file(path).write(offset, data);
            return data.length;
        });
    }

    @Override
    public int truncate(String path, @off_t long size) {
        return call(() -> {
            file(path).truncate(size);
            return 0;
        });
    }

    @Override
    public int ftruncate(String path, @off_t long size, FuseFileInfo fi) {
        return truncate(path, size);
    }

    /**
     * While set, every {@code fsync} waits for it: a disk that stops answering, for as long as a test
     * wants ({@link #holdSyncs()}, {@link #releaseSyncs()}). Other calls go on.
     */
    private volatile java.util.concurrent.CountDownLatch syncsHeld;

    /** From now on every {@code fsync} waits until {@link #releaseSyncs()}. */
    void holdSyncs() {
        syncsHeld = new java.util.concurrent.CountDownLatch(1);
    }

    /** Lets every held and later {@code fsync} go on. */
    void releaseSyncs() {
        java.util.concurrent.CountDownLatch gate = syncsHeld;
        syncsHeld = null;
        if (gate != null) {
            gate.countDown();
        }
    }

    /** fsync and fdatasync alike: this file's held data and size reach the backing folder. */
    @Override
    public int fsync(String path, int isdatasync, FuseFileInfo fi) {
        java.util.concurrent.CountDownLatch gate = syncsHeld;
        if (gate != null) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -ErrorCodes.EINTR();
            }
        }
        return call(() -> {
            HeldFile file = held.get(path);
            if (file != null) {
                file.sync();
            }
            return 0;
        });
    }

    /** Names are already on the backing folder: nothing to do. */
    @Override
    public int fsyncdir(String path, FuseFileInfo fi) {
        return call(() -> 0);
    }

    @Override
    public int flush(String path, FuseFileInfo fi) {
        return call(() -> 0);
    }

    @Override
    public int release(String path, FuseFileInfo fi) {
        return call(() -> 0);
    }

    @Override
    public int unlink(String path) {
        return call(() -> {
            Files.delete(real(path));
            held.remove(path);
            return 0;
        });
    }

    @Override
    public int rename(String oldpath, String newpath) {
        return call(() -> {
            Files.move(real(oldpath), real(newpath), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            // The held data moves with the file (a HeldFile reads its backing by path: re-opened at the new name).
            HeldFile moved = held.remove(oldpath);
            held.remove(newpath);
            if (moved != null) {
                held.put(newpath, moved.movedTo(real(newpath)));
            }
            return 0;
        });
    }

    @Override
    public int mkdir(String path, @mode_t long mode) {
        return call(() -> {
            Files.createDirectory(real(path));
            Files.setPosixFilePermissions(real(path), permissions(mode));
            return 0;
        });
    }

    @Override
    public int rmdir(String path) {
        return call(() -> {
            Files.delete(real(path));
            return 0;
        });
    }

    @Override
    public int chmod(String path, @mode_t long mode) {
        return call(() -> {
            Files.setPosixFilePermissions(real(path), permissions(mode));
            return 0;
        });
    }

    @Override
    public int chown(String path, long uid, long gid) {
        return call(() -> 0);
    }

    @Override
    public int utimens(String path, Timespec[] timespec) {
        return call(() -> {
            long seconds = timespec[1].tv_sec.get();
            long nanos = timespec[1].tv_nsec.longValue();
            Files.setLastModifiedTime(real(path), FileTime.from(seconds * 1_000_000_000L + nanos, TimeUnit.NANOSECONDS));
            return 0;
        });
    }

    @Override
    public int access(String path, int mask) {
        return call(() -> {
            if (!Files.exists(real(path), LinkOption.NOFOLLOW_LINKS)) {
                throw new NoSuchFileException(path);
            }
            return 0;
        });
    }

    @Override
    public int statfs(String path, Statvfs stbuf) {
        return call(() -> {
            var store = Files.getFileStore(backing);
            stbuf.f_bsize.set(HeldFile.PAGE);
            stbuf.f_frsize.set(HeldFile.PAGE);
            stbuf.f_blocks.set(store.getTotalSpace() / HeldFile.PAGE);
            stbuf.f_bfree.set(store.getUnallocatedSpace() / HeldFile.PAGE);
            stbuf.f_bavail.set(store.getUsableSpace() / HeldFile.PAGE);
            stbuf.f_namemax.set(255);
            return 0;
        });
    }

    private static Set<PosixFilePermission> permissions(long mode) {
        Set<PosixFilePermission> set = java.util.EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1L << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }
}
