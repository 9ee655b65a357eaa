package dev.sqlitemetrics.core;

import java.nio.file.Path;

/**
 * Run as an unprivileged user by {@link ReadOnlyIT}: tries to record (or, with a second argument
 * {@code read}, to read the rows back) and prints what happened.
 */
public final class ReadOnlyChild {
    private ReadOnlyChild() {
    }

    public static void main(String[] args) {
        if (args.length > 1 && args[1].equals("read")) {
            try (MetricsReader reader = MetricsReader.open(SqliteConfig.defaults(Path.of(args[0])))) {
                System.out.println("READ " + reader.latest(CompletionFilter.ALL, 1000).size());
            } catch (MetricsException e) {
                System.out.println("THROWN " + e.getClass().getSimpleName() + " " + e.getMessage());
            }
            return;
        }
        try (MetricsRecorder recorder = MetricsRecorder.open(Path.of(args[0]))) {
            recorder.record("as an unprivileged user");
            System.out.println("RECORDED");
        } catch (MetricsException e) {
            System.out.println("THROWN " + e.getClass().getSimpleName() + " " + e.resultCode() + " " + e.outcome()
                    + " " + e.getMessage());
        }
    }
}
