package dev.sqlitemetrics.testkit;

import java.util.Locale;

/**
 * Which of the recorder's write methods a scenario's writers call. Each form is checked its own way:
 * a plain {@code record(msg)} by the id it returns, an async call as acknowledged when its future
 * completes (and its latency measured to that moment). {@link #MIX}, the default, has each writer
 * thread cycle through all four, so that one run covers every method a user's code may call.
 */
public enum Calls {
    /** {@code record(String)}: a plain message. */
    RECORD,
    /** {@code recordCompletion(Completion)}: task, outcome, duration and attributes. */
    COMPLETION,
    /** {@code recordAsync(String)}: a plain message, acknowledged when its future completes. */
    ASYNC,
    /** {@code recordCompletionAsync(Completion)}: a completion, acknowledged when its future completes. */
    COMPLETION_ASYNC,
    /** Each writer thread cycles through the four forms above, starting at a form of its own. */
    MIX;

    /** The form the writer numbered {@code writer} uses for its record number {@code record}. */
    public Calls formFor(int writer, int record) {
        return this != MIX ? this : values()[Math.floorMod(writer + record, 4)];
    }

    /** Whether the form stores a structured completion (task, outcome, duration, attributes). */
    public boolean structured() {
        return this == COMPLETION || this == COMPLETION_ASYNC;
    }

    /** Whether the form returns a future rather than blocking. */
    public boolean async() {
        return this == ASYNC || this == COMPLETION_ASYNC;
    }

    /** The name on the command line and in reports: {@code record}, {@code completion-async}, ... */
    public String flag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The form named {@code text} as {@link #flag()} spells it (or as the constant is named). */
    public static Calls parse(String text) {
        String name = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Calls calls : values()) {
            if (calls.name().equals(name)) {
                return calls;
            }
        }
        throw new IllegalArgumentException("calls must be record, completion, async, completion-async or mix, was '"
                + text + "'");
    }
}
