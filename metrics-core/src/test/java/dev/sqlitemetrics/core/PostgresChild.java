package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.testing.Concurrently;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Run by {@link PostgresMultiProcessIT}: opens a recorder on the server, prints READY, waits for GO,
 * records from its threads and prints every acknowledged id.
 */
public final class PostgresChild {
    private PostgresChild() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String table = args[1];
        int threads = Integer.parseInt(args[2]);
        int records = Integer.parseInt(args[3]);
        PostgresConfig config = PostgresConfig.builder(url).user("postgres").tableName(table).build();
        try (MetricsRecorder recorder = MetricsRecorder.open(config)) {
            System.out.println("READY");
            System.out.flush();
            String go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (!"GO".equals(go)) {
                throw new IllegalStateException("expected GO, got " + go);
            }
            List<List<java.util.UUID>> ids = Concurrently.run(threads, 120, index -> {
                List<java.util.UUID> mine = new java.util.ArrayList<>();
                for (int i = 0; i < records; i++) {
                    mine.add(recorder.record("child " + ProcessHandle.current().pid() + " " + index + " " + i));
                }
                return mine;
            });
            StringBuilder out = new StringBuilder();
            ids.forEach(list -> list.forEach(id -> out.append("OK ").append(id).append('\n')));
            System.out.print(out);
        }
        System.out.println("DONE");
        System.out.flush();
    }
}
