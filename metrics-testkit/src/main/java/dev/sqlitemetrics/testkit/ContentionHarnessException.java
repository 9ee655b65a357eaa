package dev.sqlitemetrics.testkit;

/** The harness itself failed (a child JVM died, a level timed out); not a finding about the writer. */
public final class ContentionHarnessException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ContentionHarnessException(String message, Throwable cause) {
        super(message, cause);
    }
}
