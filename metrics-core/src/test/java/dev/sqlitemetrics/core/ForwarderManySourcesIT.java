package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.testing.ChildProcesses;
import dev.sqlitemetrics.core.testing.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many sources, one server: 4 JVMs, each recording into its own SQLite file from 16 threads with a
 * forwarder beside it, released at one barrier, shipping into one PostgreSQL table while they record.
 */
class ForwarderManySourcesIT {
    private static final int SOURCES = 4;
    private static final int THREADS = 16;
    private static final int RECORDS = 200;

    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void everyAcknowledgedRecordOfEverySourceArrivesExactlyOnceAndNothingElse() throws Exception {
        try (PostgresServer server = PostgresServer.start()) {
            List<List<String>> args = new ArrayList<>();
            for (int p = 0; p < SOURCES; p++) {
                args.add(List.of(dir.resolve("host-" + p + ".db").toString(), server.jdbcUrl(), "messages",
                        String.valueOf(THREADS), String.valueOf(RECORDS)));
            }
            List<List<String>> outputs;
            try (ChildProcesses children = new ChildProcesses(ForwardingChild.class, args)) {
                children.release();
                outputs = children.awaitDone(240);
            }
            Map<String, String> sourceById = new HashMap<>();
            Set<String> sources = new HashSet<>();
            for (List<String> lines : outputs) {
                String source = lines.stream().filter(line -> line.startsWith("SOURCE ")).findFirst().orElseThrow()
                        .substring(7);
                assertThat(sources.add(source)).as("each file has an identity of its own").isTrue();
                List<String> acknowledged = lines.stream().filter(line -> line.startsWith("OK "))
                        .map(line -> line.substring(3)).toList();
                assertThat(acknowledged).hasSize(THREADS * RECORDS);
                acknowledged.forEach(id -> sourceById.put(id, source));
            }
            Map<String, Integer> present = new HashMap<>();
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), "postgres", "");
                 ResultSet rows = connection.createStatement().executeQuery("SELECT id::text, source, host FROM messages")) {
                while (rows.next()) {
                    String id = rows.getString(1);
                    present.merge(id, 1, Integer::sum);
                    assertThat(rows.getString(2)).as("the source of %s", id).isEqualTo(sourceById.get(id));
                    assertThat(rows.getString(3)).isNotBlank();
                }
            }
            assertThat(present).hasSize(SOURCES * THREADS * RECORDS).containsOnlyKeys(sourceById.keySet())
                    .allSatisfy((id, count) -> assertThat(count).as("copies of %s", id).isEqualTo(1));
        }
    }
}
