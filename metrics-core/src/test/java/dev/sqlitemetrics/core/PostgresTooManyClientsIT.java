package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.testing.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Scenario 42: other clients hold every connection the server allows ({@code max_connections}) when
 * the writer must reconnect. "Too many clients" (SQLSTATE 53300) is retried within the deadline,
 * then reported as busy and not written; once a slot is free the recorder writes again.
 */
class PostgresTooManyClientsIT {

    @Test
    @Timeout(180)
    void tooManyClientsIsRetriedWithinTheDeadlineThenTypedBusy() throws Exception {
        // Three slots are kept for superusers; the tests connect as the superuser postgres, so the
        // reserved ones are filled too.
        try (PostgresServer server = PostgresServer.start("-c max_connections=8 -c superuser_reserved_connections=0")) {
            String table = "crowded";
            PostgresConfig config = PostgresConfig.builder(server.jdbcUrl()).user("postgres").tableName(table)
                    .retry(Retry.defaults().withDeadline(Duration.ofSeconds(2))).build();
            List<Connection> crowd = new ArrayList<>();
            try (MetricsRecorder recorder = MetricsRecorder.open(config)) {
                UUID before = recorder.record("before the crowd");
                int writerPid = writerBackendPid(server);
                try {
                    while (true) {
                        crowd.add(DriverManager.getConnection(server.jdbcUrl(), "postgres", ""));
                    }
                } catch (SQLException full) {
                    assertThat(full.getSQLState()).isEqualTo("53300");
                }
                // The writer loses its connection and must open another while every slot is taken.
                try (Statement admin = crowd.get(0).createStatement()) {
                    admin.execute("SELECT pg_terminate_backend(" + writerPid + ")");
                }
                crowd.add(takeFreedSlot(server));
                long start = System.nanoTime();
                Throwable crowded = catchThrowable(() -> recorder.record("while the server is full"));
                Duration waited = Duration.ofNanos(System.nanoTime() - start);
                assertThat(crowded).isInstanceOf(DatabaseBusyException.class);
                MetricsException busy = (MetricsException) crowded;
                assertThat(busy.sqlState()).isEqualTo("53300");
                assertThat(busy.outcome()).isEqualTo(WriteOutcome.NOT_WRITTEN);
                assertThat(busy.attempts()).isGreaterThan(1);
                // Retried up to the deadline: a wait that would end past it is not started, so the last
                // attempt may come up to one longest backoff (250 ms) before it.
                assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(2000 - 250)).isLessThan(Duration.ofSeconds(2 + 10 + 1));

                crowd.remove(crowd.size() - 1).close();
                UUID after = recorder.record("a slot is free again");
                try (Statement check = crowd.get(0).createStatement();
                     var rows = check.executeQuery("SELECT count(*) FROM " + table + " WHERE id IN ('" + before + "', '"
                             + after + "', '" + busy.recordId() + "')")) {
                    rows.next();
                    assertThat(rows.getInt(1)).isEqualTo(2);
                }
            } finally {
                for (Connection connection : crowd) {
                    connection.close();
                }
            }
        }
    }

    /**
     * The terminated backend's slot, once it is free: the backend exits after pg_terminate_backend
     * returns, so a connection made at once can still find the server full.
     */
    private static Connection takeFreedSlot(PostgresServer server) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                return DriverManager.getConnection(server.jdbcUrl(), "postgres", "");
            } catch (SQLException full) {
                if (!"53300".equals(full.getSQLState()) || System.nanoTime() > deadline) {
                    throw full;
                }
                Thread.sleep(20);
            }
        }
    }

    /** The recorder's backend: its writer's connection (the pool opens none until a read needs one). */
    private static int writerBackendPid(PostgresServer server) throws Exception {
        String pids = server.psql("metrics", "SELECT pid FROM pg_stat_activity WHERE application_name = 'sqlite-metrics'")
                .output();
        assertThat(pids.lines().count()).as("the recorder's backends: %s", pids).isEqualTo(1);
        return Integer.parseInt(pids.trim());
    }
}
