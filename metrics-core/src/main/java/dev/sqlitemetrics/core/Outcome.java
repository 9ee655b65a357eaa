package dev.sqlitemetrics.core;

/** How the job that a {@link Completion} describes ended. Stored by name in the {@code outcome} column. */
public enum Outcome {
    /** The job did its work. */
    SUCCEEDED,
    /** The job ended with an error. */
    FAILED,
    /** The job was stopped before it finished. */
    CANCELLED,
    /** The job decided there was nothing to do. */
    SKIPPED
}
