package dev.sqlitemetrics.core;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Run by {@link OutOfMemoryIT} in a JVM with a small heap: records a message whose UTF-8 encoding
 * cannot fit, then waits for the parent to check the write lock, then records once more.
 */
public final class HugeRecordChild {
    private HugeRecordChild() {
    }

    public static void main(String[] args) throws Exception {
        SqliteConfig config = SqliteConfig.builder(Path.of(args[0]))
                .maxMessageBytes(SqliteConfig.MAX_MESSAGE_BYTES_LIMIT).build();
        BufferedReader parent = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (MetricsRecorder recorder = MetricsRecorder.open(config)) {
            System.out.println("BEFORE " + recorder.record("before"));
            String huge = "\u20ac".repeat(34_000_000);
            try {
                System.out.println("RECORDED-HUGE " + recorder.record(huge));
            } catch (MetricsException e) {
                System.out.println("THROWN " + e.getClass().getSimpleName() + " " + e.outcome() + " " + e.recordId());
            }
            huge = null;
            System.out.println("READY");
            System.out.flush();
            parent.readLine();
            try {
                System.out.println("AFTER " + recorder.record("after"));
            } catch (RuntimeException e) {
                System.out.println("AFTER-THROWN " + e);
            }
        }
        System.out.println("CLOSED");
    }
}
