package dev.sqlitemetrics.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** 4 child JVMs x 64 threads recording into one PostgreSQL table, released at one barrier. */
class PostgresMultiProcessIT {

    @Test
    @Timeout(300)
    void fourJvmsOfSixtyFourThreadsEachCommitEveryRecordOnce() throws Exception {
        try (PostgresServer server = PostgresServer.start()) {
            String javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<Process> children = new ArrayList<>();
            List<List<String>> outputs = new ArrayList<>();
            CountDownLatch ready = new CountDownLatch(4);
            List<Thread> drains = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                Process child = new ProcessBuilder(javaBinary, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
                        System.getProperty("java.class.path"), PostgresChild.class.getName(), server.jdbcUrl(),
                        "shared", "64", "5").redirectError(ProcessBuilder.Redirect.DISCARD).start();
                List<String> lines = Collections.synchronizedList(new ArrayList<>());
                Thread drain = new Thread(() -> {
                    try (BufferedReader reader = new BufferedReader(
                            new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                            lines.add(line);
                            if (line.equals("READY")) {
                                ready.countDown();
                            }
                        }
                    } catch (java.io.IOException e) {
                        lines.add("(lost: " + e + ")");
                    }
                });
                drain.start();
                children.add(child);
                outputs.add(lines);
                drains.add(drain);
            }
            try {
                assertThat(ready.await(120, TimeUnit.SECONDS)).as("children ready: %s", outputs).isTrue();
                for (Process child : children) {
                    OutputStream stdin = child.getOutputStream();
                    stdin.write("GO\n".getBytes(StandardCharsets.US_ASCII));
                    stdin.flush();
                }
                for (int p = 0; p < 4; p++) {
                    assertThat(children.get(p).waitFor(180, TimeUnit.SECONDS)).isTrue();
                    drains.get(p).join(30_000);
                    assertThat(children.get(p).exitValue()).as("child %d: %s", p, outputs.get(p)).isZero();
                    assertThat(outputs.get(p)).contains("DONE");
                }
            } finally {
                children.forEach(Process::destroyForcibly);
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
