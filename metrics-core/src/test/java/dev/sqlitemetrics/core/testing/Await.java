package dev.sqlitemetrics.core.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for the thing itself, never for a fixed time: polls a condition until it holds or a timeout passes. */
public final class Await {
    private Await() {
    }

    /**
     * Returns once {@code condition} holds, checking every 10 ms.
     *
     * @param what what is waited for, for the failure's message
     * @throws AssertionError when it still does not hold after {@code timeout}
     */
    public static void until(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
