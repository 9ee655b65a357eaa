package dev.sqlitemetrics.core.internal.sqlite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lock file's wait and its timeout are one decision: a wait whose deadline falls on the very
 * moment another process releases the lock either times out or holds the lock, never "holds" a
 * lock that the timeout just dropped. Another process (Python) holds the lock and lets it go at
 * about the waiter's deadline, hundreds of times; each time the waiter says it holds the lock, that
 * process must find it taken.
 */
class SidecarLockRaceIT {
    private static final String HOLDER = """
            import fcntl, sys, time
            f = open(sys.argv[1], "a")
            for line in sys.stdin:
                word, _, arg = line.strip().partition(" ")
                if word == "hold":
                    fcntl.lockf(f, fcntl.LOCK_EX)
                    print("LOCKED", flush=True)
                    time.sleep(int(arg) / 1e6)
                    fcntl.lockf(f, fcntl.LOCK_UN)
                elif word == "try":
                    try:
                        fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        fcntl.lockf(f, fcntl.LOCK_UN)
                        print("FREE", flush=True)
                    except OSError:
                        print("TAKEN", flush=True)
            """;
    private static final int ROUNDS = 400;

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void aWaitThatEndsAsTheLockIsReleasedNeverReportsALockItLost() throws Exception {
        Path db = dir.resolve("race.db");
        Process holder = new ProcessBuilder("python3", "-c", HOLDER, db + ".lock").redirectErrorStream(true).start();
        SidecarLock sidecar = SidecarLock.of(db);
        int held = 0;
        int timedOut = 0;
        try (Writer toHolder = holder.outputWriter(StandardCharsets.UTF_8);
             BufferedReader fromHolder = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                     StandardCharsets.UTF_8))) {
            for (int round = 0; round < ROUNDS; round++) {
                long holdMicros = 3_000;
                toHolder.write("hold " + holdMicros + "\n");
                toHolder.flush();
                assertThat(fromHolder.readLine()).isEqualTo("LOCKED");
                // The deadline lands within a few hundred microseconds of the release, either side.
                long deadline = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(holdMicros)
                        + ThreadLocalRandom.current().nextLong(-400_000, 400_000);
                SidecarLock.Held lock = sidecar.acquire(deadline);
                if (lock == null) {
                    timedOut++;
                    continue;
                }
                try {
                    held++;
                    toHolder.write("try\n");
                    toHolder.flush();
                    assertThat(fromHolder.readLine()).as("round " + round + ": the lock we were told we hold")
                            .isEqualTo("TAKEN");
                } finally {
                    lock.close();
                }
            }
        } finally {
            sidecar.close();
            holder.destroyForcibly().waitFor();
        }
        assertThat(held).as("waits that got the lock").isGreaterThan(0);
        assertThat(timedOut).as("waits that timed out").isGreaterThan(0);
    }
}
