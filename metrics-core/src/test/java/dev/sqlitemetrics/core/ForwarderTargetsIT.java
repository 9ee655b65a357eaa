package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.testing.Db;
import dev.sqlitemetrics.core.testing.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which server a forwarder ships to, and what it leaves in the file: a server is known by its own
 * identity, not by the URL that reached it; a server appears in the file only once rows were shipped
 * to it, and one that holds rows back from pruning says so and can be forgotten; closing a running
 * forwarder ships what was recorded; rows that appear behind the mark are shipped all the same.
 * Reliability scenario 45 (docs/reliability.md).
 */
class ForwarderTargetsIT {
    @RegisterExtension
    static final PostgresServer.PerClass CLUSTER = new PostgresServer.PerClass();
    private static final AtomicInteger TABLES = new AtomicInteger();

    @TempDir
    Path dir;

    private final String central = "targets_" + TABLES.incrementAndGet();

    private SqliteConfig local() {
        return SqliteConfig.defaults(dir.resolve("metrics.db"));
    }

    private PostgresConfig server(String jdbcUrl) {
        return PostgresConfig.builder(jdbcUrl).user("postgres").tableName(central)
                .retry(Retry.defaults().withDeadline(Duration.ofSeconds(3))).build();
    }

    private ForwarderConfig config(PostgresConfig target) {
        return ForwarderConfig.builder(local(), target).batchSize(300).pollInterval(Duration.ofMillis(20))
                .maxBackoff(Duration.ofMillis(500)).build();
    }

    @Test
    @Timeout(180)
    void twoForwardersWithDataSourcesToTwoServersEachShipEveryRow() throws Exception {
        record(40);
        try (PostgresServer second = PostgresServer.start()) {
            PostgresConfig target = PostgresConfig.builder().tableName(central)
                    .retry(Retry.defaults().withDeadline(Duration.ofSeconds(3))).build();
            try (MetricsForwarder toFirst = MetricsForwarder.open(config(target), dataSource(CLUSTER.server()),
                    ForwarderListener.NONE);
                 MetricsForwarder toSecond = MetricsForwarder.open(config(target), dataSource(second),
                         ForwarderListener.NONE)) {
                assertThat(toFirst.forwardAll().rows()).isEqualTo(40);
                assertThat(toSecond.forwardAll().rows()).isEqualTo(40);
            }
            assertThat(ids(CLUSTER.server().jdbcUrl())).hasSize(40).isEqualTo(ids(second.jdbcUrl()));
            try (MetricsReader reader = MetricsReader.open(local())) {
                assertThat(reader.forwarding()).hasSize(2).allSatisfy(lag -> assertThat(lag.caughtUp()).isTrue());
            }
        }
    }

    @Test
    @Timeout(120)
    void oneServerReachedByTwoSpellingsIsOneTarget() throws Exception {
        String byAddress = CLUSTER.server().jdbcUrl();
        String byName = byAddress.replace("127.0.0.1", "localhost");
        record(30);
        try (MetricsForwarder forwarder = MetricsForwarder.open(config(server(byAddress)))) {
            assertThat(forwarder.forwardAll().rows()).isEqualTo(30);
        }
        // The server prunes what it received; a forwarder that took the other spelling for another
        // server would ship those rows again.
        execute(byAddress, "DELETE FROM " + central);
        record(5);
        try (MetricsForwarder forwarder = MetricsForwarder.open(config(server(byName)))) {
            assertThat(forwarder.forwardAll().rows()).isEqualTo(5);
        }
        assertThat(ids(byAddress)).hasSize(5);
        try (MetricsReader reader = MetricsReader.open(local())) {
            assertThat(reader.forwarding()).singleElement().satisfies(lag -> {
                assertThat(lag.target()).startsWith("postgresql:").endsWith("/metrics/public." + central);
                assertThat(lag.shippedRows()).isEqualTo(35);
            });
        }
    }

    @Test
    @Timeout(120)
    void aSecondForwarderToTheSameServerIsRefusedWhenItFirstShips() throws Exception {
        record(3);
        try (MetricsForwarder first = MetricsForwarder.open(config(server(CLUSTER.server().jdbcUrl())));
             MetricsForwarder second = MetricsForwarder.open(config(server(
                     CLUSTER.server().jdbcUrl().replace("127.0.0.1", "localhost"))))) {
            assertThat(first.forwardAll().rows()).isEqualTo(3);
            assertThatThrownBy(second::forwardAll).isInstanceOf(DatabaseBusyException.class)
                    .hasMessageContaining("another forwarder");
        }
    }

    @Test
    @Timeout(120)
    void aForwardToAMistypedServerLeavesNoTargetAndRetentionGoesOn() throws Exception {
        insertOld(20);
        PostgresConfig nowhere = PostgresConfig.builder("jdbc:postgresql://127.0.0.1:1/none").user("postgres")
                .connectTimeout(Duration.ofSeconds(1)).retry(Retry.defaults().withDeadline(Duration.ofSeconds(1))).build();
        try (MetricsForwarder forwarder = MetricsForwarder.open(config(nowhere))) {
            assertThatThrownBy(forwarder::forwardAll).isInstanceOf(MetricsException.class);
        }
        try (MetricsReader reader = MetricsReader.open(local())) {
            assertThat(reader.forwarding()).isEmpty();
        }
        try (MetricsRetention retention = MetricsRetention.open(local())) {
            PruneResult result = retention.prune(Instant.now().minus(Duration.ofDays(1)), false);
            assertThat(result.deleted()).isEqualTo(20);
            assertThat(result.heldBack()).isEmpty();
        }
    }

    @Test
    @Timeout(120)
    void aPruneNamesTheServerThatHoldsRowsBackAndForgettingItReleasesThem() throws Exception {
        insertOld(10);
        try (MetricsForwarder forwarder = MetricsForwarder.open(config(server(CLUSTER.server().jdbcUrl())))) {
            assertThat(forwarder.forwardAll().rows()).isEqualTo(10);
        }
        insertOld(15);
        Instant cutoff = Instant.now().minus(Duration.ofDays(1));
        String target;
        try (MetricsRetention retention = MetricsRetention.open(local())) {
            PruneResult result = retention.prune(cutoff, false);
            // The ten shipped rows go (but the file keeps its newest row's rowid taken: it is unshipped).
            assertThat(result.deleted()).isEqualTo(10);
            assertThat(result.heldBack()).singleElement().satisfies(held -> {
                assertThat(held.rows()).isEqualTo(15);
                assertThat(held.lastShipped()).isNotNull();
                assertThat(held.target()).endsWith("." + central);
            });
            target = result.heldBack().get(0).target();
        }
        assertThat(MetricsForwarder.forget(local(), target)).isTrue();
        assertThat(MetricsForwarder.forget(local(), target)).isFalse();
        try (MetricsRetention retention = MetricsRetention.open(local())) {
            PruneResult result = retention.prune(cutoff, false);
            assertThat(result.deleted()).isEqualTo(15);
            assertThat(result.heldBack()).isEmpty();
        }
    }

    @Test
    @Timeout(120)
    void closingARunningForwarderShipsWhatWasRecordedBefore() throws Exception {
        MetricsRecorder.open(local()).close();
        try (MetricsRecorder recorder = MetricsRecorder.open(local());
             MetricsForwarder forwarder = MetricsForwarder.open(ForwarderConfig.builder(local(),
                     server(CLUSTER.server().jdbcUrl())).pollInterval(Duration.ofMinutes(10)).build()).start()) {
            for (int i = 0; i < 100; i++) {
                recorder.record("recorded before close " + i);
            }
        }
        assertThat(ids(CLUSTER.server().jdbcUrl())).hasSize(100);
    }

    @Test
    @Timeout(120)
    void aRowThatAppearsBehindTheMarkIsShipped() throws Exception {
        record(20);
        execute(local(), "DELETE FROM messages WHERE rowid = 5");
        try (MetricsForwarder forwarder = MetricsForwarder.open(config(server(CLUSTER.server().jdbcUrl())))) {
            assertThat(forwarder.forwardAll().rows()).isEqualTo(19);
        }
        // Another client reuses the free rowid, below the mark.
        UUID late = RecordIds.next();
        execute(local(), "INSERT INTO messages (rowid, id, msg) VALUES (5, '" + late + "', 'behind the mark')");
        try (MetricsForwarder forwarder = MetricsForwarder.open(config(server(CLUSTER.server().jdbcUrl())))) {
            ForwardResult result = forwarder.forwardAll();
            assertThat(result.rows() - result.alreadyThere()).isEqualTo(1);
        }
        assertThat(ids(CLUSTER.server().jdbcUrl())).hasSize(20).contains(late.toString());
    }

    @Test
    @Timeout(120)
    void theMarkOfARefilledFileIsResetInTheFileBeforeAPruneCanUseIt() throws Exception {
        PostgresServer pg = CLUSTER.server();
        MetricsRecorder.open(local()).close();
        try (MetricsForwarder forwarder = MetricsForwarder.open(config(server(pg.jdbcUrl())))) {
            insertOld(30);
            assertThat(forwarder.forwardAll().rows()).isEqualTo(30);
            // Another client empties the table and old rows arrive again from rowid 1.
            execute(local(), "DELETE FROM messages");
            insertOld(10);
            pg.stopImmediately();
            try {
                assertThatThrownBy(forwarder::forwardAll).isInstanceOf(MetricsException.class);
            } finally {
                pg.restart();
            }
        }
        try (MetricsRetention retention = MetricsRetention.open(local())) {
            assertThat(retention.prune(Instant.now().minus(Duration.ofDays(1)), false).deleted()).isZero();
        }
        try (MetricsForwarder forwarder = MetricsForwarder.open(config(server(pg.jdbcUrl())))) {
            assertThat(forwarder.forwardAll().rows()).isEqualTo(10);
        }
        assertThat(ids(pg.jdbcUrl())).hasSize(40);
    }

    private void record(int rows) {
        try (MetricsRecorder recorder = MetricsRecorder.open(local())) {
            for (int i = 0; i < rows; i++) {
                recorder.record("row " + i);
            }
        }
    }

    private void insertOld(int rows) throws SQLException {
        MetricsRecorder.open(local()).close();
        try (Connection connection = Db.connect(local().path());
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO messages (id, ts, msg) VALUES (?, '2020-01-01 00:00:00.000', 'old')")) {
            for (int i = 0; i < rows; i++) {
                insert.setString(1, RecordIds.next().toString());
                insert.executeUpdate();
            }
        }
    }

    private static PGSimpleDataSource dataSource(PostgresServer server) {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setUrl(server.jdbcUrl());
        source.setUser("postgres");
        return source;
    }

    private static void execute(SqliteConfig config, String sql) throws SQLException {
        Db.execute(config.path(), sql);
    }

    private static void execute(String jdbcUrl, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private Set<String> ids(String jdbcUrl) throws SQLException {
        Set<String> ids = new HashSet<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
             ResultSet rows = connection.createStatement().executeQuery("SELECT id::text FROM " + central)) {
            while (rows.next()) {
                assertThat(ids.add(rows.getString(1))).as("each id once").isTrue();
            }
        }
        return ids;
    }
}
