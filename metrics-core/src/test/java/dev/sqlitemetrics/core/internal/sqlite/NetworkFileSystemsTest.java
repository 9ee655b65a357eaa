package dev.sqlitemetrics.core.internal.sqlite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Reliability scenario 36 (docs/reliability.md), as far as this machine allows: the policy's classification of file systems. */
class NetworkFileSystemsTest {
    @TempDir
    Path dir;

    @Test
    void recognisesNetworkFileSystemsByTheirStoreType() {
        assertThat(NetworkFileSystems.isNetwork("nfs4")).isTrue();
        assertThat(NetworkFileSystems.isNetwork("NFS")).isTrue();
        assertThat(NetworkFileSystems.isNetwork("cifs")).isTrue();
        assertThat(NetworkFileSystems.isNetwork("fuse.sshfs")).isTrue();
        assertThat(NetworkFileSystems.isNetwork("ext4")).isFalse();
        assertThat(NetworkFileSystems.isNetwork("tmpfs")).isFalse();
        assertThat(NetworkFileSystems.isNetwork(null)).isFalse();
    }

    @Test
    void theTestFolderIsLocal() throws Exception {
        assertThat(NetworkFileSystems.isNetwork(Files.getFileStore(dir).type())).isFalse();
    }
}
