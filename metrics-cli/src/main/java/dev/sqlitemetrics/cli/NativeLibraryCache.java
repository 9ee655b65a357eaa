package dev.sqlitemetrics.cli;

import org.sqlite.util.LibraryLoaderUtil;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.CRC32;

/**
 * Keeps SQLite's native library extracted in the user's cache folder, so a command does not write
 * a fresh copy to the temporary folder (and compare it byte by byte) at every start, which is most
 * of what opening the first connection costs a short-lived process. The copy is named after the
 * CRC-32 the jar records for the library, checked against that CRC before each use, and written
 * under another name first, then moved into place, so that processes starting together never see
 * half a file. Anything amiss (no cache folder, a copy that does not match) leaves the driver to
 * extract it as usual.
 */
final class NativeLibraryCache {
    /**
     * Where the cache is: {@code $SQLITE_METRICS_CACHE}, else {@code $XDG_CACHE_HOME/sqlite-metrics},
     * else {@code ~/.cache/sqlite-metrics} (the launcher keeps its class-data archives there too).
     */
    static Path folder() {
        String own = System.getenv("SQLITE_METRICS_CACHE");
        if (own != null && !own.isBlank()) {
            return Path.of(own);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("sqlite-metrics");
    }

    private NativeLibraryCache() {
    }

    /**
     * Points the driver at the cached copy in {@code cache}, making it if needed; leaves it alone when
     * the driver is told where its library is already. True when the driver will use the copy.
     */
    static boolean use(Path cache) {
        if (System.getProperty("org.sqlite.lib.path") != null) {
            return false;
        }
        try {
            String folderInJar = folderInJar();
            if (folderInJar == null) {
                return false;
            }
            String name = LibraryLoaderUtil.getNativeLibName();
            URL resource = NativeLibraryCache.class.getResource("/org/sqlite/native/" + folderInJar + "/" + name);
            if (resource == null) {
                return false;
            }
            URLConnection connection = resource.openConnection();
            if (!(connection instanceof JarURLConnection jar)) {
                return false;
            }
            connection.setUseCaches(false);
            long crc = jar.getJarEntry().getCrc();
            Path folder = cache.resolve("native").resolve(Long.toHexString(crc));
            Path library = folder.resolve(name);
            if (!matches(library, crc)) {
                extract(connection, folder, library, crc);
            }
            System.setProperty("org.sqlite.lib.path", folder.toString());
            System.setProperty("org.sqlite.lib.name", name);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The driver's folder for this platform, for the platforms named here. The driver's own lookup
     * runs {@code uname} in a child process, which costs a short-lived command more than the cache
     * saves; elsewhere (musl, Android, other systems) the driver finds its library itself.
     */
    static String folderInJar() {
        String os = System.getProperty("os.name", "");
        String arch = switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> null;
        };
        if (arch == null) {
            return null;
        }
        if (os.equals("Linux")) {
            return !isMusl() && !System.getProperty("java.vm.vendor", "").contains("Android") ? "Linux/" + arch : null;
        }
        if (os.startsWith("Mac")) {
            return "Mac/" + arch;
        }
        return os.startsWith("Windows") && arch.equals("x86_64") ? "Windows/x86_64" : null;
    }

    private static boolean isMusl() {
        try (var entries = Files.newDirectoryStream(Path.of("/lib"), "ld-musl-*")) {
            return entries.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean matches(Path library, long crc) throws IOException {
        if (!Files.isRegularFile(library)) {
            return false;
        }
        CRC32 check = new CRC32();
        check.update(Files.readAllBytes(library));
        return check.getValue() == crc;
    }

    private static void extract(URLConnection connection, Path folder, Path library, long crc) throws IOException {
        Files.createDirectories(folder.getParent().getParent(),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.createDirectories(folder);
        Path partial = Files.createTempFile(folder, library.getFileName().toString(), ".partial");
        try {
            try (InputStream in = connection.getInputStream()) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            if (!matches(partial, crc)) {
                throw new IOException("the library copied to " + partial + " does not match the jar's CRC");
            }
            try {
                Files.move(partial, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot move " + partial + " into place atomically", e);
            }
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
