package dev.sqlitemetrics.cli;

import dev.sqlitemetrics.core.testing.PostgresServer;
import dev.sqlitemetrics.testkit.internal.powercut.PowerCutMount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reliability scenario 46 through the command line: {@code sqlite-metrics record --retry-deadline 2s}
 * against a statement that never returns (an {@code fsync} held by the file system, a COMMIT held for a
 * synchronous standby that is gone, a server frozen with SIGSTOP) answers within the deadline, the
 * recorder's 1 s answer margin and a JVM's start ({@link #BOUND} in all), with the exit code of the
 * truth: 4 (unknown) once the batch was sent, 3 (not written, retry) when it never was.
 */
class DeadlineCliIT {
    private static final String DEADLINE = "2s";
    /** 2 s deadline, 1 s answer margin, about 2 s for a JVM to start and stop on a loaded 2-core machine. */
    private static final Duration BOUND = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private record Exit(int code, String output, Duration took) {
    }

    private Exit record(String... where) throws Exception {
        List<String> command = new ArrayList<>(List.of(Launcher.path().toString(), "record"));
        command.addAll(List.of(where));
        command.addAll(List.of("--retry-deadline", DEADLINE, "a record"));
        Path log = dir.resolve("record-" + System.nanoTime() + ".log");
        long start = System.nanoTime();
        Process process = Launcher.process(command, dir.resolve("cache")).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (!exited) {
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(exited).as("the command exits: " + output).isTrue();
        return new Exit(process.exitValue(), output, took);
    }

    /**
     * A process whose thread waits in an {@code fsync} the file system never answers cannot end until it
     * does: the kernel does not abandon a file-system request in flight (FUSE, NFS alike). The command
     * prints its answer within the bound; it exits, with that answer's code, once the sync returns.
     */
    @Test
    @Timeout(180)
    void aHeldFsyncIsAnsweredUnknownWithinTheDeadline() throws Exception {
        org.junit.jupiter.api.Assertions.assertTrue(PowerCutMount.unavailable().isEmpty(),
                () -> PowerCutMount.unavailable().get() + " (scripts/test-all installs libfuse2 and fuse)");
        try (PowerCutMount mount = PowerCutMount.mount(dir.resolve("disk"), dir.resolve("mnt"))) {
            String db = mount.path().resolve("metrics.db").toString();
            assertThat(record("--db", db).code()).isZero();
            mount.holdSyncs();
            Path log = dir.resolve("held.log");
            Process process;
            Duration answeredAfter = null;
            try {
                long start = System.nanoTime();
                process = Launcher.process(List.of(Launcher.path().toString(), "record", "--db", db, "--retry-deadline",
                        DEADLINE, "a record"), dir.resolve("cache")).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
                while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30)) {
                    if (Files.readString(log, StandardCharsets.UTF_8).contains("outcome unknown")) {
                        answeredAfter = Duration.ofNanos(System.nanoTime() - start);
                        break;
                    }
                    Thread.sleep(20);
                }
            } finally {
                mount.releaseSyncs();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(answeredAfter).as("answered: " + output).isNotNull().isLessThan(BOUND);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exits once the sync returns").isTrue();
            assertThat(process.exitValue()).as(output).isEqualTo(ExitCodes.UNKNOWN);
            assertThat(record("--db", db).code()).isZero();
        }
    }

    @Test
    @Timeout(180)
    void aGoneSynchronousStandbyExitsUnknownWithinTheDeadline() throws Exception {
        try (PostgresServer server = PostgresServer.start()) {
            String[] where = {"--jdbc-url", server.jdbcUrl(), "--user", "postgres"};
            assertThat(record(where).code()).isZero();
            server.configure("synchronous_standby_names", "gone");
            Exit held;
            try {
                held = record(where);
            } finally {
                server.configure("synchronous_standby_names", null);
            }
            assertThat(held.code()).as(held.output()).isEqualTo(ExitCodes.UNKNOWN);
            assertThat(held.output()).contains("synchronous standby");
            assertThat(held.took()).as(held.output()).isLessThan(BOUND);
            assertThat(record(where).code()).isZero();
        }
    }

    @Test
    @Timeout(180)
    void aFrozenServerExitsNotWrittenWithinTheDeadline() throws Exception {
        try (PostgresServer server = PostgresServer.start()) {
            String[] where = {"--jdbc-url", server.jdbcUrl(), "--user", "postgres"};
            assertThat(record(where).code()).isZero();
            server.freeze();
            Exit frozen;
            try {
                frozen = record(where);
            } finally {
                server.thaw();
            }
            // A new process never got past the login: certainly not written, and worth trying again.
            assertThat(frozen.code()).as(frozen.output()).isEqualTo(ExitCodes.NOT_WRITTEN);
            assertThat(frozen.took()).as(frozen.output()).isLessThan(BOUND);
            assertThat(record(where).code()).isZero();
        }
    }
}
