package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.testing.Await;
import dev.sqlitemetrics.core.testing.Db;
import dev.sqlitemetrics.core.testing.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The forwarder on a real SQLite file and a throwaway PostgreSQL server. */
class ForwarderIT {
    @RegisterExtension
    static final PostgresServer.PerClass CLUSTER = new PostgresServer.PerClass();
    private static final AtomicInteger TABLES = new AtomicInteger();

    @TempDir
    Path dir;

    private final String central = "central_" + TABLES.incrementAndGet();

    private SqliteConfig local() {
        return SqliteConfig.defaults(dir.resolve("metrics.db"));
    }

    private PostgresConfig server() {
        return PostgresConfig.builder(CLUSTER.server().jdbcUrl()).user("postgres").tableName(central)
                .retry(Retry.defaults().withDeadline(Duration.ofSeconds(3))).build();
    }

    private ForwarderConfig.Builder forwarding() {
        return ForwarderConfig.builder(local(), server()).batchSize(300).pollInterval(Duration.ofMillis(20))
                .maxBackoff(Duration.ofMillis(500));
    }

    @Test
    @Timeout(120)
    void shipsEveryRowOnceWithItsContentAndResumesFromTheMark() throws Exception {
        List<UUID> ids = new ArrayList<>();
        try (MetricsRecorder recorder = MetricsRecorder.open(local())) {
            for (int i = 0; i < 1000; i++) {
                ids.add(recorder.recordCompletion(Completion.builder("task-" + (i % 3), i % 7 == 0 ? Outcome.FAILED : Outcome.SUCCEEDED)
                        .message("job " + i).duration(Duration.ofMillis(i)).attribute("n", String.valueOf(i)).build()));
            }
            ids.add(recorder.record("a plain message"));
        }
        try (MetricsForwarder forwarder = MetricsForwarder.open(forwarding().build())) {
            ForwardResult result = forwarder.forwardAll();
            assertThat(result.rows()).isEqualTo(1001);
            assertThat(result.alreadyThere()).isZero();
            assertThat(result.batches()).isEqualTo(4);
            assertThat(forwarder.lag().caughtUp()).isTrue();
            assertThat(forwarder.forwardAll().rows()).isZero();
        }
        assertThat(centralIdCounts()).hasSize(1001).allSatisfy((id, count) -> assertThat(count).isEqualTo(1))
                .containsOnlyKeys(ids.stream().map(UUID::toString).toList());
        try (Connection connection = connectCentral();
             ResultSet row = connection.createStatement().executeQuery("SELECT task, outcome, msg, duration_ms,"
                     + " attributes->>'n', pid, host, source, ts FROM " + central + " WHERE id = '" + ids.get(7) + "'")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualTo("task-1");
            assertThat(row.getString(2)).isEqualTo("FAILED");
            assertThat(row.getString(3)).isEqualTo("job 7");
            assertThat(row.getDouble(4)).isEqualTo(7.0);
            assertThat(row.getString(5)).isEqualTo("7");
            assertThat(row.getLong(6)).isEqualTo(ProcessHandle.current().pid());
            assertThat(row.getString(7)).isNotBlank();
            assertThat(row.getString(8)).isEqualTo(sourceOf(local()).toString());
            assertThat(row.getTimestamp(9).toInstant()).isBetween(Instant.now().minusSeconds(120), Instant.now());
        }

        // Resumes from the mark: only what was recorded since goes.
        try (MetricsRecorder recorder = MetricsRecorder.open(local())) {
            for (int i = 0; i < 10; i++) {
                ids.add(recorder.record("later " + i));
            }
        }
        try (MetricsForwarder forwarder = MetricsForwarder.open(forwarding().build())) {
            ForwardResult result = forwarder.forwardAll();
            assertThat(result.rows()).isEqualTo(10);
            assertThat(result.alreadyThere()).isZero();
        }
        assertThat(centralIdCounts()).hasSize(1011);
    }

    @Test
    @Timeout(120)
    void foreignRowsGetStableIdsAndArriveOnceEvenWhenShippedAgain() throws Exception {
        MetricsRecorder.open(local()).close();
        try (Connection connection = Db.connect(local().path()); Statement insert = connection.createStatement()) {
            insert.execute("INSERT INTO messages (msg) VALUES ('foreign one'), ('foreign one'), ('with a NUL: ' || char(0) || '.')");
            insert.execute("INSERT INTO messages (ts, msg, attributes, duration_ms, pid) VALUES"
                    + " ('not a time', 'odd time', 'not json {', 'slow', 'me')");
            insert.execute("INSERT INTO messages (msg, attributes) VALUES ('escaped NUL', '{\"k\":\"a\\u0000b\"}')");
            insert.execute("INSERT INTO messages (id, msg) VALUES ('not-a-uuid', 'an id of another kind')");
        }
        try (MetricsForwarder forwarder = MetricsForwarder.open(forwarding().build())) {
            assertThat(forwarder.forwardAll().rows()).isEqualTo(6);
        }
        Map<String, String> firstIds = centralMessagesById();
        assertThat(firstIds).hasSize(6);
        assertThat(firstIds.values()).containsExactlyInAnyOrder("foreign one", "foreign one", "with a NUL: \uFFFD.",
                "odd time", "escaped NUL", "an id of another kind");
        try (Connection connection = connectCentral(); Statement select = connection.createStatement()) {
            ResultSet odd = select.executeQuery("SELECT attributes #>> '{}', duration_ms, pid, ts FROM " + central
                    + " WHERE msg = 'odd time'");
            assertThat(odd.next()).isTrue();
            assertThat(odd.getString(1)).isEqualTo("not json {");
            assertThat(odd.getObject(2)).isNull();
            assertThat(odd.getObject(3)).isNull();
            assertThat(odd.getTimestamp(4).toInstant()).isAfter(Instant.now().minusSeconds(120));
            ResultSet escaped = select.executeQuery("SELECT attributes->>'k' FROM " + central + " WHERE msg = 'escaped NUL'");
            assertThat(escaped.next()).isTrue();
            assertThat(escaped.getString(1)).isEqualTo("a\uFFFDb");
        }

        // A crash after the server's commit and before the mark moved: the whole file goes again.
        try (Connection connection = Db.connect(local().path()); Statement reset = connection.createStatement()) {
            reset.execute("UPDATE messages_forwarded SET shipped_through = " + firstRowid() + ", shipped_through_id = NULL");
        }
        try (MetricsForwarder forwarder = MetricsForwarder.open(forwarding().build())) {
            ForwardResult again = forwarder.forwardAll();
            assertThat(again.rows()).isEqualTo(6);
            assertThat(again.alreadyThere()).isEqualTo(6);
        }
        assertThat(centralMessagesById()).isEqualTo(firstIds);
    }

    @Test
    @Timeout(120)
    void aFileEmptiedAndRefilledIsShippedFromItsStart() throws Exception {
        try (MetricsRecorder recorder = MetricsRecorder.open(local())) {
            for (int i = 0; i < 20; i++) {
                recorder.record("first " + i);
            }
        }
        try (MetricsForwarder forwarder = MetricsForwarder.open(forwarding().build())) {
            assertThat(forwarder.forwardAll().rows()).isEqualTo(20);
        }
        // Another client empties the table: SQLite hands out rowid 1 again.
        try (Connection connection = Db.connect(local().path()); Statement delete = connection.createStatement()) {
            delete.execute("DELETE FROM messages");
        }
        try (MetricsRecorder recorder = MetricsRecorder.open(local())) {
            for (int i = 0; i < 5; i++) {
                recorder.record("second " + i);
            }
        }
        try (MetricsForwarder forwarder = MetricsForwarder.open(forwarding().build())) {
            assertThat(forwarder.forwardAll().rows()).isEqualTo(5);
        }
        assertThat(centralIdCounts()).hasSize(25);
    }

    @Test
    @Timeout(60)
    void aForwarderOfAMissingFileIsRefusedAndOneRunningInTheBackgroundShipsByItself() {
        MetricsRecorder.open(local()).close();
        try (MetricsForwarder first = MetricsForwarder.open(forwarding().build())) {
            assertThatThrownBy(() -> first.start().forwardAll()).isInstanceOf(IllegalStateException.class);
        }
        assertThatThrownBy(() -> MetricsForwarder.open(ForwarderConfig.builder(
                SqliteConfig.defaults(dir.resolve("missing.db")), server()).build()))
                .isInstanceOf(MetricsException.class).hasMessageContaining("no SQLite file");
    }

    @Test
    @Timeout(180)
    void aRunningForwarderRidesOutAServerOutageWhileRecordingGoesOn() throws Exception {
        List<MetricsException> retries = new CopyOnWriteArrayList<>();
        AtomicLong shipped = new AtomicLong();
        List<ForwardingLag> lags = new CopyOnWriteArrayList<>();
        ForwarderListener listener = new ForwarderListener() {
            @Override
            public void onShipped(int rows, int alreadyThere, Duration elapsed) {
                shipped.addAndGet(rows);
            }

            @Override
            public void onRetry(int attempt, MetricsException failure, Duration wait) {
                retries.add(failure);
            }

            @Override
            public void onLag(ForwardingLag lag) {
                lags.add(lag);
            }
        };
        List<UUID> ids = new ArrayList<>();
        PostgresServer pg = CLUSTER.server();
        try (MetricsRecorder recorder = MetricsRecorder.open(local());
             MetricsForwarder forwarder = MetricsForwarder.open(forwarding().build(), listener).start()) {
            for (int i = 0; i < 100; i++) {
                ids.add(recorder.record("before " + i));
            }
            Await.until(() -> shipped.get() == 100, Duration.ofSeconds(60), "the first 100 shipped");
            pg.stopImmediately();
            try {
                long start = System.nanoTime();
                for (int i = 0; i < 200; i++) {
                    ids.add(recorder.record("while the server is down " + i));
                }
                // Recording never waits on the server.
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
                Await.until(() -> retries.size() >= 3, Duration.ofSeconds(60), "three failed tries");
                ForwardingLag behind = forwarder.lag();
                assertThat(behind.unshippedRows()).isEqualTo(200);
                assertThat(behind.oldestUnshipped()).isNotNull();
                try (MetricsReader reader = MetricsReader.open(local())) {
                    assertThat(reader.forwarding()).singleElement().satisfies(lag -> {
                        assertThat(lag.unshippedRows()).isEqualTo(200);
                        assertThat(lag.shippedRows()).isEqualTo(100);
                        assertThat(lag.target()).contains(central);
                    });
                }
            } finally {
                pg.restart();
            }
            Await.until(() -> shipped.get() == 300, Duration.ofSeconds(60), "the backlog shipped once the server is back");
            Await.until(() -> !lags.isEmpty() && lags.get(lags.size() - 1).caughtUp(), Duration.ofSeconds(60), "a caught-up lag reported");
        }
        assertThat(retries).allSatisfy(failure -> assertThat(failure.outcome()).isNotNull());
        assertThat(centralIdCounts()).hasSize(300).containsOnlyKeys(ids.stream().map(UUID::toString).toList())
                .allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
    }

    @Test
    @Timeout(120)
    void closingARunningForwarderInItsBackoffTriesOnceMoreWithinTheDeadline() throws Exception {
        MetricsRecorder.open(local()).close();
        PostgresConfig nowhere = PostgresConfig.builder("jdbc:postgresql://127.0.0.1:1/none").user("postgres")
                .connectTimeout(Duration.ofSeconds(1)).retry(Retry.defaults().withDeadline(Duration.ofSeconds(2))).build();
        AtomicInteger retries = new AtomicInteger();
        MetricsForwarder forwarder = MetricsForwarder.open(ForwarderConfig.builder(local(), nowhere)
                .maxBackoff(Duration.ofMinutes(10)).build(), new ForwarderListener() {
                    @Override
                    public void onRetry(int attempt, MetricsException failure, Duration wait) {
                        retries.incrementAndGet();
                    }
                }).start();
        try (MetricsRecorder recorder = MetricsRecorder.open(local())) {
            recorder.record("waits for the server");
        }
        Await.until(() -> retries.get() >= 4, Duration.ofSeconds(60), "four failed tries");
        long start = System.nanoTime();
        forwarder.close();
        // The backoff is cut short; what is left is one last try to ship, within the 2 s retry deadline.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
        // The lock is released: another forwarder may start.
        MetricsForwarder.open(ForwarderConfig.builder(local(), nowhere).build()).close();
    }

    @Test
    @Timeout(120)
    void pruningNeverDeletesAnUnshippedRow() throws Exception {
        MetricsRecorder.open(local()).close();
        insertOld(50);
        try (MetricsForwarder forwarder = MetricsForwarder.open(forwarding().build())) {
            assertThat(forwarder.forwardAll().rows()).isEqualTo(50);
        }
        insertOld(50);
        Instant cutoff = Instant.now().minus(Duration.ofDays(1));
        try (MetricsRetention retention = MetricsRetention.open(local())) {
            assertThat(retention.countBefore(cutoff)).isEqualTo(50);
            assertThat(retention.prune(cutoff, true).deleted()).isEqualTo(50);
        }
        assertThat(localCount()).isEqualTo(50);
        // Deleting shipped rows as the forwarder goes: every one but the newest (its rowid stays taken).
        AtomicLong deleted = new AtomicLong();
        try (MetricsForwarder forwarder = MetricsForwarder.open(forwarding().deleteShippedAfter(Duration.ofDays(1)).build(),
                new ForwarderListener() {
                    @Override
                    public void onDeleted(long rows) {
                        deleted.addAndGet(rows);
                    }
                }).start()) {
            Await.until(() -> deleted.get() == 49, Duration.ofSeconds(60), "49 shipped rows deleted");
            assertThat(forwarder.lag().caughtUp()).isTrue();
        }
        assertThat(localCount()).isEqualTo(1);
        assertThat(centralIdCounts()).hasSize(100);
    }

    private void insertOld(int rows) throws SQLException {
        try (Connection connection = Db.connect(local().path());
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO messages (id, ts, msg, task, outcome) VALUES (?, '2020-01-01 00:00:00.000', 'old', 't', 'SUCCEEDED')")) {
            for (int i = 0; i < rows; i++) {
                insert.setString(1, RecordIds.next().toString());
                insert.executeUpdate();
            }
        }
    }

    private long localCount() throws SQLException {
        return Long.parseLong(Db.query(local().path(), "SELECT count(*) FROM messages"));
    }

    private long firstRowid() throws SQLException {
        return Long.parseLong(Db.query(local().path(), "SELECT min(rowid) - 1 FROM messages"));
    }

    private static UUID sourceOf(SqliteConfig config) throws SQLException {
        return UUID.fromString(Db.query(config.path(), "SELECT source FROM messages_forwarded"));
    }

    private Connection connectCentral() throws SQLException {
        return DriverManager.getConnection(CLUSTER.server().jdbcUrl(), "postgres", "");
    }

    private Map<String, Integer> centralIdCounts() throws SQLException {
        Map<String, Integer> counts = new HashMap<>();
        try (Connection connection = connectCentral();
             ResultSet rows = connection.createStatement().executeQuery("SELECT id::text FROM " + central)) {
            while (rows.next()) {
                counts.merge(rows.getString(1), 1, Integer::sum);
            }
        }
        return counts;
    }

    private Map<String, String> centralMessagesById() throws SQLException {
        Map<String, String> messages = new HashMap<>();
        try (Connection connection = connectCentral();
             ResultSet rows = connection.createStatement().executeQuery("SELECT id::text, msg FROM " + central)) {
            while (rows.next()) {
                assertThat(messages.put(rows.getString(1), rows.getString(2))).isNull();
            }
        }
        return messages;
    }
}
