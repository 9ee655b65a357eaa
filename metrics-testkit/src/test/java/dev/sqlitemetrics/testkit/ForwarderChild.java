package dev.sqlitemetrics.testkit;

import dev.sqlitemetrics.core.ForwarderConfig;
import dev.sqlitemetrics.core.ForwarderListener;
import dev.sqlitemetrics.core.MetricsForwarder;
import dev.sqlitemetrics.core.PostgresConfig;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.core.Retry;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Run by {@link ForwarderCampaignIT}: a forwarder of one SQLite file, shipping in the background
 * until its input says STOP (or it is killed). Prints READY once running, and
 * {@code SHIPPED <rows> <already there>} for each batch.
 */
public final class ForwarderChild {
    private ForwarderChild() {
    }

    public static void main(String[] args) throws Exception {
        SqliteConfig local = SqliteConfig.defaults(Path.of(args[0]));
        PostgresConfig central = PostgresConfig.builder(args[1]).user("postgres").tableName(args[2])
                .retry(Retry.defaults().withDeadline(Duration.ofSeconds(2))).build();
        try (MetricsForwarder forwarder = MetricsForwarder.open(ForwarderConfig.builder(local, central).batchSize(500)
                .pollInterval(Duration.ofMillis(20)).maxBackoff(Duration.ofSeconds(1)).build(), new ForwarderListener() {
                    @Override
                    public void onShipped(int rows, int alreadyThere, Duration elapsed) {
                        System.out.println("SHIPPED " + rows + " " + alreadyThere);
                        System.out.flush();
                    }
                }).start()) {
            System.out.println("READY");
            System.out.flush();
            BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = input.readLine(); line != null && !line.equals("STOP"); line = input.readLine()) {
                // Waits.
            }
        }
        System.out.println("STOPPED");
        System.out.flush();
    }
}
