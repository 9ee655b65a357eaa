package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.testing.PostgresServer;
import dev.sqlitemetrics.core.internal.write.GroupCommitRecorder;
import dev.sqlitemetrics.core.internal.postgres.PostgresStore;
import dev.sqlitemetrics.core.internal.write.CallbackExecutor;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 41: the writer's connection broken as its batch (one statement that commits) is sent, and
 * after the server committed it but before its answer arrived. The outcome is settled by sending the
 * batch again on a new connection, never guessed: the ids make that idempotent, and each call returns
 * acknowledged with its record present exactly once.
 */
class PostgresInDoubtIT {
    @RegisterExtension
    static final PostgresServer.PerClass CLUSTER = new PostgresServer.PerClass();
    private static final AtomicInteger TABLES = new AtomicInteger();

    /** Where the connection breaks. */
    enum Break {
        /** The backend is terminated just before the batch is sent: nothing committed, sent again. */
        BEFORE_SENDING,
        /** The server commits the batch, then the connection fails before its answer is read: sent again, skipped by id. */
        ANSWER_LOST
    }

    @ParameterizedTest
    @EnumSource(Break.class)
    @Timeout(120)
    void aBrokenConnectionIsSettledWithTheServerNotGuessed(Break where) throws Exception {
        String table = "in_doubt_" + TABLES.incrementAndGet();
        PostgresConfig config = PostgresConfig.builder(CLUSTER.server().jdbcUrl()).user("postgres").tableName(table)
                .retry(Retry.defaults().withDeadline(Duration.ofSeconds(20))).build();
        AtomicBoolean armed = new AtomicBoolean(false);
        AtomicInteger evicted = new AtomicInteger();
        RecorderListener counting = new RecorderListener() {
            @Override
            public void onConnectionEvicted(int resultCode) {
                evicted.incrementAndGet();
            }
        };
        UnaryOperator<Connection> breaking = real -> breakable(real, where, armed);
        try (MetricsRecorder recorder = new GroupCommitRecorder(config, counting,
                guarded -> PostgresStore.open(config, null, guarded, breaking), CallbackExecutor.create("pg-test"), "pg-test")) {
            recorder.record("warm");
            armed.set(true);
            UUID id = recorder.record("through a broken connection");
            assertThat(armed.get()).as("the break happened").isFalse();
            assertThat(copies(table, id)).isEqualTo(1);
            assertThat(evicted.get()).isEqualTo(1);
            UUID next = recorder.record("after");
            assertThat(copies(table, next)).isEqualTo(1);
        }
    }

    /** The writer's connection, breaking once at {@code where} when armed. */
    private static Connection breakable(Connection real, Break where, AtomicBoolean armed) {
        int pid;
        try (Statement statement = real.createStatement(); ResultSet rows = statement.executeQuery("SELECT pg_backend_pid()")) {
            rows.next();
            pid = rows.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return (Connection) Proxy.newProxyInstance(PostgresInDoubtIT.class.getClassLoader(), new Class<?>[]{Connection.class},
                (self, method, args) -> {
                    Object result = invoke(method, real, args);
                    if (result instanceof PreparedStatement prepared && String.valueOf(args[0]).contains("INSERT INTO")) {
                        return Proxy.newProxyInstance(PostgresInDoubtIT.class.getClassLoader(),
                                new Class<?>[]{PreparedStatement.class}, (inner, innerMethod, innerArgs) -> {
                                    boolean executing = innerMethod.getName().startsWith("execute");
                                    if (executing && fires(armed, where, Break.BEFORE_SENDING)) {
                                        terminate(pid);
                                    }
                                    Object value = invoke(innerMethod, prepared, innerArgs);
                                    if (executing && fires(armed, where, Break.ANSWER_LOST)) {
                                        real.close();
                                        throw new SQLException("An I/O error occurred while sending to the backend"
                                                + " (test)", "08006");
                                    }
                                    return value;
                                });
                    }
                    return result;
                });
    }

    private static boolean fires(AtomicBoolean armed, Break where, Break here) {
        return where == here && armed.compareAndSet(true, false);
    }

    private static void terminate(int pid) throws Exception {
        try (Connection admin = DriverManager.getConnection(CLUSTER.server().jdbcUrl(), "postgres", "");
             Statement statement = admin.createStatement()) {
            statement.execute("SELECT pg_terminate_backend(" + pid + ")");
            for (int i = 0; i < 100; i++) {
                try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid)) {
                    rows.next();
                    if (rows.getInt(1) == 0) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
        }
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static int copies(String table, UUID id) throws SQLException {
        try (Connection connection = DriverManager.getConnection(CLUSTER.server().jdbcUrl(), "postgres", "");
             PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM " + table + " WHERE id = ?")) {
            select.setObject(1, id);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
