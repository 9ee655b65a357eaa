package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.testing.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Reliability scenario 46 on PostgreSQL: a statement that never returns. A synchronous standby that
 * is gone holds every COMMIT; a server frozen with SIGSTOP answers nothing on an open connection.
 * Each time a long-lived recorder answers within its retry deadline plus {@link #MARGIN}: NOT_WRITTEN
 * only if the batch never left (a session found dead before it was sent), UNKNOWN otherwise (with the
 * standby gone it is committed on the primary), and records again once the server answers.
 */
class PostgresDeadlineIT {
    private static final Duration DEADLINE = Duration.ofSeconds(2);
    /** The recorder's answer margin (1 s) and a loaded 2-core machine. */
    private static final Duration MARGIN = Duration.ofMillis(1_500);

    @Test
    @Timeout(120)
    void aCommitHeldForAGoneSynchronousStandbyIsAnsweredUnknownWithinTheDeadline() throws Exception {
        try (PostgresServer server = PostgresServer.start()) {
            PostgresConfig config = config(server, "standby_gone");
            try (MetricsRecorder recorder = MetricsRecorder.open(config)) {
                recorder.record("before");
                server.configure("synchronous_standby_names", "gone");
                try {
                    // The reload reaches the writer's backend a moment later: the records before it commit.
                    MetricsException held = null;
                    Duration waited = Duration.ZERO;
                    long tryingUntil = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                    while (held == null && System.nanoTime() < tryingUntil) {
                        long start = System.nanoTime();
                        held = (MetricsException) catchThrowable(() -> recorder.record("held for the standby"));
                        waited = Duration.ofNanos(System.nanoTime() - start);
                    }
                    assertThat(held).as("a record held for the standby").isNotNull();
                    assertThat(held.outcome()).as(held.getMessage()).isEqualTo(WriteOutcome.UNKNOWN);
                    assertThat(held.getMessage()).contains("synchronous standby");
                    assertThat(waited).isLessThan(DEADLINE.plus(MARGIN));
                    // Committed on the primary, as the server says: never reported NOT_WRITTEN.
                    assertThat(copies(server, config, held.recordId())).isEqualTo(1);
                } finally {
                    server.configure("synchronous_standby_names", null);
                }
                UUID after = recorder.record("the standby is no longer waited for");
                assertThat(copies(server, config, after)).isEqualTo(1);
            }
        }
    }

    @Test
    @Timeout(120)
    void aFrozenServerIsAnsweredUnknownWithinTheDeadlineAndRecordedToOnceItAnswers() throws Exception {
        try (PostgresServer server = PostgresServer.start()) {
            PostgresConfig config = config(server, "frozen");
            try (MetricsRecorder recorder = MetricsRecorder.open(config)) {
                recorder.record("before");
                server.freeze();
                MetricsException frozen;
                try {
                    long start = System.nanoTime();
                    frozen = (MetricsException) catchThrowable(() -> recorder.record("to a frozen server"));
                    Duration waited = Duration.ofNanos(System.nanoTime() - start);
                    assertThat(frozen).as("answered").isNotNull();
                    assertThat(waited).as(frozen.getMessage()).isLessThan(DEADLINE.plus(MARGIN));
                } finally {
                    server.thaw();
                }
                UUID after = recorder.record("after the thaw");
                assertThat(copies(server, config, after)).isEqualTo(1);
                // NOT_WRITTEN only if the batch never left; UNKNOWN: a frozen backend may commit it once thawed.
                int copies = copies(server, config, frozen.recordId());
                assertThat(copies).as(frozen.getMessage()).isLessThanOrEqualTo(
                        frozen.outcome() == WriteOutcome.NOT_WRITTEN ? 0 : 1);
            }
        }
    }

    private static PostgresConfig config(PostgresServer server, String table) {
        return PostgresConfig.builder(server.jdbcUrl()).user("postgres").tableName(table)
                .retry(Retry.defaults().withDeadline(DEADLINE)).build();
    }

    private static int copies(PostgresServer server, PostgresConfig config, UUID id) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), "postgres", "");
             PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM " + config.tableName()
                     + " WHERE id = ?")) {
            select.setObject(1, id);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
