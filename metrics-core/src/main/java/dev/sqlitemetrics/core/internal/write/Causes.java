package dev.sqlitemetrics.core.internal.write;

import java.util.Optional;

/** The one walk along a cause chain: drivers wrap the exception that says what happened. */
public final class Causes {
    private Causes() {
    }

    /** The first throwable of {@code type} in {@code error}'s cause chain, {@code error} included, that {@code test} accepts. */
    public static <T extends Throwable> Optional<T> first(Throwable error, Class<T> type, java.util.function.Predicate<T> test) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t) && test.test(type.cast(t))) {
                return Optional.of(type.cast(t));
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Optional.empty();
    }

    /** The first throwable of {@code type} in {@code error}'s cause chain, {@code error} included. */
    public static <T extends Throwable> Optional<T> first(Throwable error, Class<T> type) {
        return first(error, type, t -> true);
    }
}
