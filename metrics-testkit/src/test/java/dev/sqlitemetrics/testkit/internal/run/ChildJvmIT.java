package dev.sqlitemetrics.testkit.internal.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A killed child's output is read to the end: whatever it wrote before SIGKILL is in the pipe and is
 * part of its account (a kill campaign's ledger depends on it). Closing the pipe at the kill, as
 * {@link Process#destroyForcibly()} does, would throw away the unread part.
 */
class ChildJvmIT {

    /** Writes numbered lines as fast as the pipe takes them, until killed. */
    public static final class FloodingChild {
        public static void main(String[] args) {
            System.out.println("READY");
            for (long i = 0; ; i++) {
                System.out.println("line " + i);
            }
        }
    }

    @Test
    @Timeout(120)
    void everyLineWrittenBeforeTheKillIsRead() throws Exception {
        for (int round = 0; round < 5; round++) {
            CountDownLatch ready = new CountDownLatch(1);
            ChildJvm child = ChildJvm.start(FloodingChild.class.getName(), List.of(), ready);
            assertThat(ready.await(60, TimeUnit.SECONDS)).as("child started").isTrue();
            while (child.lines().size() < 20_000) {
                Thread.sleep(1);
            }
            child.kill();

            List<String> lines = child.completeLines();
            assertThat(lines.get(0)).isEqualTo("READY");
            // Contiguous: nothing dropped in the middle; only the very last line may be cut short.
            for (int i = 1; i < lines.size() - 1; i++) {
                if (!lines.get(i).equals("line " + (i - 1))) {
                    throw new AssertionError("round " + round + ": line " + i + " of " + lines.size() + " is '"
                            + lines.get(i) + "', expected 'line " + (i - 1) + "'");
                }
            }
        }
    }
}
