package dev.sqlitemetrics.core.internal.write;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import dev.sqlitemetrics.core.Retry;

import java.util.function.ObjIntConsumer;

/**
 * Maps our {@link Retry} settings onto a Failsafe {@link RetryPolicy}; the only class that knows
 * Failsafe. Only failures the store marked retryable (the busy family, I/O errors resolved as not
 * written) are retried; everything else is rethrown at once. Internal: not part of the API.
 */
public final class BusyRetry {
    private final RetryPolicy<Object> policy;

    /**
     * @param retry   the settings
     * @param onRetry told of each failed attempt that will be retried: (failure, attempt number)
     */
    public BusyRetry(Retry retry, ObjIntConsumer<StoreFailure> onRetry) {
        RetryPolicyBuilder<Object> builder = RetryPolicy.builder()
                .handleIf(failure -> failure instanceof StoreFailure storeFailure && storeFailure.retryable())
                .withMaxAttempts(retry.maxAttempts())
                .withBackoff(retry.initialBackoff(), retry.maxBackoff())
                .withMaxDuration(retry.deadline())
                .onRetry(event -> onRetry.accept((StoreFailure) event.getLastException(), event.getAttemptCount()));
        if (retry.jitter() > 0) {
            builder.withJitter(retry.jitter());
        }
        this.policy = builder.build();
    }

    /** Runs {@code attempt} until it succeeds, fails for good, or the attempts or deadline run out. */
    public void run(Runnable attempt) {
        Failsafe.with(policy).run(attempt::run);
    }
}
