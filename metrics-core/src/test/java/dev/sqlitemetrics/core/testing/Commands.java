package dev.sqlitemetrics.core.testing;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Runs outside commands for the tests that need a tool beyond the JDK (python3, sqlite3, mount). */
public final class Commands {
    private Commands() {
    }

    /** Whether {@code command} runs and exits 0 within 30 s; a missing program is false, not an error. */
    public static boolean succeeds(String... command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
