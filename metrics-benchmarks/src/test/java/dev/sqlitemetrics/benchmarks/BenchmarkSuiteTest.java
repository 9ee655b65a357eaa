package dev.sqlitemetrics.benchmarks;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** The launcher parses strictly: help and usage errors run nothing. */
class BenchmarkSuiteTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine line = BenchmarkSuite.commandLine();
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        return line.execute(args);
    }

    @Test
    void helpListsThePartsAndRunsNothing() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("sqlite ", "read ", "rates ", "postgres ", "forward ").contains("about 4 min");
    }

    @Test
    void anUnknownOptionOrPartIsAUsageError() {
        assertThat(run("--bogus")).isEqualTo(2);
        assertThat(run("--only=reed")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--bogus'").contains("but was 'reed'")
                .contains("Run 'benchmarks --help'");
    }

    @Test
    void thePartsParseInAnyCaseAndWithAnEqualsSign() {
        CommandLine line = BenchmarkSuite.commandLine();
        line.parseArgs("--only=read", "--quick", "--out", "x.md");
        BenchmarkSuite suite = line.getCommand();
        assertThat(suite.only).isEqualTo(BenchmarkSuite.Part.READ);
        assertThat(suite.quick).isTrue();
        assertThat(suite.out).hasToString("x.md");
    }
}
