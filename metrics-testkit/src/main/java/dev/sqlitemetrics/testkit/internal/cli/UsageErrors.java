package dev.sqlitemetrics.testkit.internal.cli;

import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * How every command line answers a usage error: the message (with picocli's "did you mean" where it
 * has one) and one line pointing to {@code --help}, never the whole help; exit 2.
 */
public final class UsageErrors implements CommandLine.IParameterExceptionHandler {
    /** The exit code of a usage error. */
    public static final int EXIT = 2;

    @Override
    public int handleParseException(CommandLine.ParameterException exception, String[] args) {
        CommandLine failed = exception.getCommandLine();
        PrintWriter err = failed.getErr();
        err.println(exception.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(exception, err);
        err.println("Run '" + failed.getCommandSpec().qualifiedName() + " --help' for its options.");
        err.flush();
        return EXIT;
    }
}
