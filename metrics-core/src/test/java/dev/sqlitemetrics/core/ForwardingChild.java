package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.testing.Concurrently;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Run by {@link ForwarderManySourcesIT}: a recorder on its own SQLite file with a forwarder beside
 * it, shipping in the background to the central table. Prints READY, waits for GO, records from its
 * threads while the forwarder ships, prints every acknowledged id, waits until the server holds
 * every row, and prints its file's identity and DONE.
 */
public final class ForwardingChild {
    private ForwardingChild() {
    }

    public static void main(String[] args) throws Exception {
        SqliteConfig local = SqliteConfig.defaults(Path.of(args[0]));
        PostgresConfig central = PostgresConfig.builder(args[1]).user("postgres").tableName(args[2]).build();
        int threads = Integer.parseInt(args[3]);
        int records = Integer.parseInt(args[4]);
        try (MetricsRecorder recorder = MetricsRecorder.open(local);
             MetricsForwarder forwarder = MetricsForwarder.open(ForwarderConfig.builder(local, central)
                     .pollInterval(Duration.ofMillis(50)).batchSize(500).build()).start()) {
            System.out.println("READY");
            System.out.flush();
            String go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (!"GO".equals(go)) {
                throw new IllegalStateException("expected GO, got " + go);
            }
            List<List<UUID>> ids = Concurrently.run(threads, 120, index -> {
                List<UUID> mine = new ArrayList<>();
                for (int i = 0; i < records; i++) {
                    mine.add(recorder.recordCompletion(Completion.builder("job-" + index % 4, Outcome.SUCCEEDED)
                            .message("child " + ProcessHandle.current().pid() + " " + index + " " + i).build()));
                }
                return mine;
            });
            StringBuilder out = new StringBuilder();
            ids.forEach(list -> list.forEach(id -> out.append("OK ").append(id).append('\n')));
            System.out.print(out);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            ForwardingLag lag = forwarder.lag();
            while (!lag.caughtUp()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the forwarder did not catch up: " + lag);
                }
                Thread.sleep(20);
                lag = forwarder.lag();
            }
            System.out.println("SOURCE " + lag.source());
        }
        System.out.println("DONE");
        System.out.flush();
    }
}
