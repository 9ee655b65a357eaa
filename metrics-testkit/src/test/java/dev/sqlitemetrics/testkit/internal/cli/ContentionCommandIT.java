package dev.sqlitemetrics.testkit.internal.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI end to end, in-process: formats and exit codes. */
class ContentionCommandIT {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = ContentionCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }

    @Test
    @Timeout(300)
    void defaultComparisonPassesAndShowsBothWriters() {
        int exit = run("--writers", "5,50", "--work-dir", dir.toString());
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("recorder", "naive", "recorder: PASSED", "writers attempted");
    }

    @Test
    @Timeout(300)
    void violatedThresholdsExitWithOne() {
        int exit = run("--writer", "naive", "--journal-mode", "DELETE", "--naive-busy-timeout", "0ms",
                "--writers", "200", "--work-dir", dir.toString());
        assertThat(exit).as(out.toString()).isEqualTo(1);
        assertThat(out.toString()).contains("THRESHOLDS VIOLATED", "SQLITE_BUSY");
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(run("--no-such-flag")).isEqualTo(2);
        assertThat(run("--pool-size", "0", "--work-dir", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--pool-size must be between 2 and 64 (the writer keeps one connection), was 0");
        assertThat(run("--baseline", "sometimes")).isEqualTo(2);
    }

    @Test
    void harnessFailuresExitWithThree() throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("file"), "x");
        assertThat(run("--writers", "2", "--work-dir", notAFolder.toString())).isEqualTo(3);
        assertThat(err.toString()).contains("harness failure");
    }

    @Test
    @Timeout(300)
    void writesJsonCsvAndHtmlReports() throws Exception {
        Path json = dir.resolve("report.json");
        assertThat(run("--writers", "3,6", "--format", "json", "--out", json.toString(), "--work-dir", dir.toString())).isZero();
        String text = Files.readString(json);
        assertThat(text).startsWith("{\"schemaVersion\":1,").contains("\"config\":{", "\"levels\":[", "\"integrityOk\":true",
                "\"breakingPoint\":null", "\"writers\":3", "\"attempted\":", "\"acknowledged\":", "\"failed\":", "\"lost\":",
                "\"duplicated\":", "\"p50Ms\":", "\"p95Ms\":", "\"p99Ms\":", "\"maxMs\":", "\"throughputPerSec\":",
                "\"failuresByCode\":{", "\"baselines\":[");

        Path csv = dir.resolve("report.csv");
        assertThat(run("--writers", "3", "--format", "csv", "--out", csv.toString(), "--baseline", "none",
                "--work-dir", dir.toString())).isZero();
        assertThat(Files.readAllLines(csv)).hasSize(2).first().asString().startsWith("writer,writers,attempted");

        Path html = dir.resolve("report.html");
        assertThat(run("--writers", "3,6", "--format", "html", "--out", html.toString(), "--work-dir", dir.toString())).isZero();
        assertThat(Files.readString(html)).contains("<svg", "<polyline", "Failed calls", "p99 latency", "</html>")
                .doesNotContain("<script", "src=", "href=", "<link");
    }

    @Test
    @Timeout(300)
    void runsAKillCampaign() {
        int exit = run("--faults", "kill", "--rounds", "1", "--processes", "2", "--threads-per-process", "2",
                "--records-per-writer", "100", "--seed", "7", "--work-dir", dir.toString());
        assertThat(exit).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains("seed 7, 2 JVMs x 2 threads x 100 records per round", "kill campaign: 1 rounds",
                "every invariant held");
        assertThat(run("--faults", "flood")).isEqualTo(2);
    }

    @Test
    void printsHelpAndVersion() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--busy-timeout", "Exit codes");
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).contains("sqlite-metrics-testkit");
    }
}
