package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.testing.ChildProcesses;
import dev.sqlitemetrics.core.testing.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** 4 child JVMs x 64 threads recording into one PostgreSQL table, released at one barrier. */
class PostgresMultiProcessIT {

    @Test
    @Timeout(300)
    void fourJvmsOfSixtyFourThreadsEachCommitEveryRecordOnce() throws Exception {
        try (PostgresServer server = PostgresServer.start()) {
            List<List<String>> args = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                args.add(List.of(server.jdbcUrl(), "shared", "64", "5"));
            }
            List<List<String>> outputs;
            try (ChildProcesses children = new ChildProcesses(PostgresChild.class, args)) {
                children.release();
                outputs = children.awaitDone(180);
            }
            Map<String, Integer> present = new HashMap<>();
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), "postgres", "");
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT id::text FROM shared")) {
                while (rows.next()) {
                    present.merge(rows.getString(1), 1, Integer::sum);
                }
            }
            List<String> acknowledged = outputs.stream().flatMap(List::stream).filter(line -> line.startsWith("OK "))
                    .map(line -> line.substring(3)).toList();
            assertThat(acknowledged).hasSize(4 * 64 * 5);
            acknowledged.forEach(id -> assertThat(present).containsEntry(id, 1));
            assertThat(present).hasSize(acknowledged.size());
        }
    }
}
