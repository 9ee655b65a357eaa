package dev.sqlitemetrics.core.internal.sqlite;

import dev.sqlitemetrics.core.JournalMode;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.core.Synchronous;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Reliability scenario 25 (docs/reliability.md): the effective pragmas of every pooled connection equal the configuration. */
class PragmasReadBackTest {
    @TempDir
    Path dir;

    static Stream<SqliteConfig.Builder> configs() {
        return Stream.of(
                SqliteConfig.builder(Path.of("a.db")),
                SqliteConfig.builder(Path.of("b.db")).synchronous(Synchronous.NORMAL).busyTimeout(Duration.ofMillis(1234)),
                SqliteConfig.builder(Path.of("c.db")).journalMode(JournalMode.TRUNCATE).synchronous(Synchronous.EXTRA),
                SqliteConfig.builder(Path.of("d.db")).journalMode(JournalMode.DELETE).synchronous(Synchronous.OFF)
                        .busyTimeout(Duration.ZERO),
                SqliteConfig.builder(Path.of("e.db")).journalMode(JournalMode.PERSIST));
    }

    @ParameterizedTest
    @MethodSource("configs")
    void everyPooledConnectionCarriesTheConfiguredPragmas(SqliteConfig.Builder builder) throws Exception {
        SqliteConfig config = builder.path(dir.resolve(builder.build().path().getFileName())).poolSize(4).build();
        SqlitePragmas pragmas = new SqlitePragmas(config);
        new SqliteOpener(config, pragmas, new SqliteSchema(config.tableName())).prepare();
        try (SqliteConnections connections = new SqliteConnections(config, pragmas, FileIdentity.of(config.path()))) {
            List<Connection> borrowed = new ArrayList<>();
            try {
                // The writer's own connection, and every connection of the pool (the other poolSize - 1).
                borrowed.add(connections.openWriter());
                for (int i = 1; i < config.poolSize(); i++) {
                    borrowed.add(connections.borrow());
                }
                for (Connection connection : borrowed) {
                    assertThat(SqlitePragmas.read(connection, "busy_timeout")).isEqualTo(String.valueOf(config.busyTimeout().toMillis()));
                    assertThat(SqlitePragmas.read(connection, "synchronous")).isEqualTo(String.valueOf(config.synchronous().level()));
                    assertThat(SqlitePragmas.read(connection, "journal_mode")).isEqualToIgnoringCase(config.journalMode().name());
                    assertThat(connection.getAutoCommit()).isTrue();
                }
            } finally {
                for (Connection connection : borrowed) {
                    connection.close();
                }
            }
        }
    }
}
