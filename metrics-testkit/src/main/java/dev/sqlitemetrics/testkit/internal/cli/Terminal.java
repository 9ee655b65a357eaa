package dev.sqlitemetrics.testkit.internal.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether this process talks to a person at a terminal, or to a pipe, a file or a CI log. Internal. */
public final class Terminal {
    private Terminal() {
    }

    /**
     * True when standard input and output are a terminal. Up to JDK 21 that is what a console means;
     * from JDK 22 a console exists for pipes too, and {@code Console.isTerminal()} says which.
     */
    public static boolean isInteractive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
