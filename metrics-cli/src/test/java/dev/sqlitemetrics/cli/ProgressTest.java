package dev.sqlitemetrics.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** The progress line: what it says on a terminal, and that it says nothing elsewhere. */
class ProgressTest {
    @Test
    void onATerminalItRedrawsOneLineAndEndsIt() {
        StringWriter err = new StringWriter();
        Progress progress = new Progress(new PrintWriter(err), true, "export", 50_000);
        progress.advance(12_000);
        progress.finish();
        String[] draws = err.toString().split("\r");
        assertThat(draws).hasSize(3);
        assertThat(draws[1]).startsWith("export: 12,000 of 50,000 rows, ").contains("/s, ").contains(" s left");
        assertThat(draws[2]).startsWith("export: 12,000 of 50,000 rows, ").endsWith("\n");
        assertThat(err.toString().chars().filter(c -> c == '\n').count()).as("one line, ended once").isEqualTo(1);
    }

    @Test
    void elsewhereItIsSilent() {
        StringWriter err = new StringWriter();
        Progress progress = new Progress(new PrintWriter(err), false, "forward", 10);
        progress.advance(10);
        progress.finish();
        assertThat(err.toString()).isEmpty();
        // Tests run without a terminal: what the commands make then is silent too.
        StringWriter quiet = new StringWriter();
        Progress.onTerminal(new PrintWriter(quiet), false, "export", 10).finish();
        assertThat(quiet.toString()).isEmpty();
    }
}
