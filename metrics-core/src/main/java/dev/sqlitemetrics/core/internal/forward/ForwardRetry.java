package dev.sqlitemetrics.core.internal.forward;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import dev.sqlitemetrics.core.internal.write.StoreFailure;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * How the forwarder waits out a server that is down or slow, on Failsafe: exponential backoff with
 * jitter between passes that failed. Internal: not part of the API.
 */
public final class ForwardRetry {
    /** The first wait after a failure. */
    static final Duration FIRST_WAIT = Duration.ofMillis(250);

    private final Duration maxWait;
    private final Listener listener;

    /** Told of each failed pass that will be tried again, and how long until then. */
    @FunctionalInterface
    public interface Listener {
        void retrying(RuntimeException failure, int attempt, Duration wait);
    }

    public ForwardRetry(Duration maxWait, Listener listener) {
        this.maxWait = maxWait.compareTo(FIRST_WAIT) > 0 ? maxWait : FIRST_WAIT.multipliedBy(2);
        this.listener = listener;
    }

    /**
     * Runs {@code pass} until it succeeds, whatever it fails with, or until {@code stopping} holds
     * (then the last failure is thrown). An interrupt while waiting ends it with {@link InterruptedException}.
     */
    public <T> T untilStopped(Supplier<T> pass, BooleanSupplier stopping) throws InterruptedException {
        return run(policy().withMaxRetries(-1).abortIf((result, failure) -> stopping.getAsBoolean()), pass);
    }

    /**
     * Runs {@code pass} until it succeeds, or fails with what no retry can mend, or {@code deadline}
     * has passed.
     */
    public <T> T within(Duration deadline, Supplier<T> pass) throws InterruptedException {
        RetryPolicyBuilder<Object> policy = policy().withMaxRetries(-1)
                .abortIf((result, failure) -> !retryable(failure));
        if (deadline.compareTo(FIRST_WAIT) <= 0) {
            policy.withMaxRetries(0);
        } else {
            policy.withMaxDuration(deadline);
        }
        return run(policy, pass);
    }

    private RetryPolicyBuilder<Object> policy() {
        return RetryPolicy.builder().handle(StoreFailure.class, Forwarding.ServerFailure.class)
                .withBackoff(FIRST_WAIT, maxWait).withJitter(0.5)
                .onRetryScheduled(event -> listener.retrying((RuntimeException) event.getLastException(),
                        event.getAttemptCount(), event.getDelay()));
    }

    /** Whether trying again can mend {@code failure}: a lost connection, a busy file or server. */
    public static boolean retryable(Throwable failure) {
        if (failure instanceof Forwarding.ServerFailure server) {
            return server.failure().retryable();
        }
        return failure instanceof StoreFailure store && store.retryable();
    }

    private static <T> T run(RetryPolicyBuilder<Object> policy, Supplier<T> pass) throws InterruptedException {
        try {
            return Failsafe.with(policy.build()).get(pass::get);
        } catch (FailsafeException e) {
            if (e.getCause() instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw e;
        }
    }
}
