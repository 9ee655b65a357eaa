package dev.sqlitemetrics.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The cached copy of SQLite's native library: made once, checked against the jar's CRC, replaced when it does not match. */
class NativeLibraryCacheTest {
    private static final List<String> PROPERTIES = List.of("org.sqlite.lib.path", "org.sqlite.lib.name");

    @TempDir
    Path cache;

    @BeforeEach
    @AfterEach
    void forget() {
        PROPERTIES.forEach(System::clearProperty);
    }

    private Path library() throws Exception {
        try (Stream<Path> files = Files.walk(cache)) {
            return files.filter(Files::isRegularFile).reduce((a, b) -> {
                throw new AssertionError("more than one file in the cache: " + a + ", " + b);
            }).orElseThrow();
        }
    }

    @Test
    void pointsTheDriverAtOneCopyAndMendsADamagedOne() throws Exception {
        Assertions.assertTrue(NativeLibraryCache.folderInJar() != null, "no cached copy is made on this platform");
        assertThat(NativeLibraryCache.use(cache)).isTrue();
        Path library = library();
        assertThat(System.getProperty("org.sqlite.lib.path")).isEqualTo(library.getParent().toString());
        assertThat(System.getProperty("org.sqlite.lib.name")).isEqualTo(library.getFileName().toString());
        byte[] good = Files.readAllBytes(library);
        assertThat(good.length).isGreaterThan(100_000);

        forget();
        assertThat(NativeLibraryCache.use(cache)).isTrue();
        assertThat(library()).isEqualTo(library);

        Files.write(library, new byte[] {0x7f, 'E', 'L', 'F'});
        forget();
        assertThat(NativeLibraryCache.use(cache)).isTrue();
        assertThat(Files.readAllBytes(library())).isEqualTo(good);
    }

    @Test
    void leavesADriverThatIsToldWhereItsLibraryIsAlone() {
        System.setProperty("org.sqlite.lib.path", "/somewhere/else");
        assertThat(NativeLibraryCache.use(cache)).isFalse();
        assertThat(System.getProperty("org.sqlite.lib.path")).isEqualTo("/somewhere/else");
        assertThat(cache).isEmptyDirectory();
    }
}
