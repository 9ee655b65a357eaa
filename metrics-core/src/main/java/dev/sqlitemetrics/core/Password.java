package dev.sqlitemetrics.core;

import java.util.Objects;

/**
 * A database password: a value that never shows itself. {@link #toString()} prints {@code ******},
 * so a config that holds one can be logged, printed in a report or put in an exception message
 * without leaking it; only {@link #reveal()} hands it to the driver.
 */
public final class Password {
    private final String value;

    private Password(String value) {
        this.value = value;
    }

    /** The password {@code value}; not empty. */
    public static Password of(String value) {
        Objects.requireNonNull(value, "password");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("password must not be empty, was ''");
        }
        return new Password(value);
    }

    /** The password itself, for the driver. */
    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Password password && password.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** Always {@code ******}. */
    @Override
    public String toString() {
        return "******";
    }
}
