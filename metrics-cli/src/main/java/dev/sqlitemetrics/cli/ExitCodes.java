package dev.sqlitemetrics.cli;

/** The command line's exit codes, as {@code --help} lists them. */
final class ExitCodes {
    static final int DONE = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int NOT_WRITTEN = 3;
    static final int UNKNOWN = 4;
    static final int PERMANENT = 5;

    private ExitCodes() {
    }
}
