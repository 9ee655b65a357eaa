package dev.sqlitemetrics.core;

import java.nio.file.Path;

/** Run as an unprivileged user by {@link ReadOnlyIT}: tries to record and prints what happened. */
public final class ReadOnlyChild {
    private ReadOnlyChild() {
    }

    public static void main(String[] args) {
        try (MetricsRecorder recorder = MetricsRecorder.open(Path.of(args[0]))) {
            recorder.record("as an unprivileged user");
            System.out.println("RECORDED");
        } catch (MetricsException e) {
            System.out.println("THROWN " + e.getClass().getSimpleName() + " " + e.resultCode() + " " + e.outcome()
                    + " " + e.getMessage());
        }
    }
}
