package dev.sqlitemetrics.core;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A writer process for the multi-process tests: prints {@code READY}, waits for {@code GO} on stdin,
 * then records from many threads and prints one line per call ({@code OK id} or
 * {@code FAIL type code outcome id}) and {@code DONE}.
 *
 * <p>Arguments: {@code <db> <threads> <recordsPerThread> <openAfterGo>}. With {@code openAfterGo}
 * true the recorder is opened after the barrier, so many processes create the file at once.
 */
public final class RecorderChild {
    private RecorderChild() {
    }

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        int perThread = Integer.parseInt(args[2]);
        boolean openAfterGo = Boolean.parseBoolean(args[3]);
        MetricsRecorder recorder = openAfterGo ? null : MetricsRecorder.open(db);
        System.out.println("READY");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (!"GO".equals(in.readLine())) {
            throw new IllegalStateException("expected GO on stdin");
        }
        if (recorder == null) {
            recorder = MetricsRecorder.open(db);
        }
        MetricsRecorder shared = recorder;
        long pid = ProcessHandle.current().pid();
        List<StringBuilder> logs = Concurrently.run(threads, 300, index -> {
            StringBuilder log = new StringBuilder();
            for (int i = 0; i < perThread; i++) {
                try {
                    log.append("OK ").append(shared.record("pid-" + pid + "-thread-" + index + "-" + i)).append('\n');
                } catch (MetricsException e) {
                    log.append("FAIL ").append(e.getClass().getSimpleName()).append(' ').append(e.resultCode())
                            .append(' ').append(e.outcome()).append(' ').append(e.recordId()).append('\n');
                }
            }
            return log;
        });
        recorder.close();
        StringBuilder all = new StringBuilder();
        logs.forEach(all::append);
        System.out.print(all);
        System.out.println("DONE");
        System.out.flush();
    }
}
