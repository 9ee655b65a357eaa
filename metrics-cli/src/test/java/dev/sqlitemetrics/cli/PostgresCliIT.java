package dev.sqlitemetrics.cli;

import dev.sqlitemetrics.core.MetricsReader;
import dev.sqlitemetrics.core.PostgresConfig;
import dev.sqlitemetrics.core.testing.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

/** Every subcommand against a table on a real (throwaway) PostgreSQL server, selected with --jdbc-url. */
class PostgresCliIT {
    @RegisterExtension
    static final PostgresServer.PerClass CLUSTER = new PostgresServer.PerClass();
    private static final AtomicInteger TABLES = new AtomicInteger();

    private final String table = "cli_" + TABLES.incrementAndGet();

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(1, List.of("--jdbc-url", CLUSTER.server().jdbcUrl(), "--user", "postgres", "--table-name", table));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = MetricsCli.commandLine(all.toArray(String[]::new));
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        int exit = command.execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    private Run ok(String... args) {
        Run run = run(args);
        assertThat(run.exit()).as(String.join(" ", args) + ": " + run.err()).isZero();
        return run;
    }

    @Test
    void recordSummaryTailExportReportAndPruneWorkOnTheServer() throws Exception {
        UUID id = UUID.fromString(ok("record", "--task", "build", "--duration", "100ms", "--attr", "host=a", "first").out().strip());
        ok("record", "--task", "build", "--duration", "200ms", "second");
        ok("record", "--task", "build", "--duration", "300ms", "third");
        ok("record", "--task", "build", "--outcome", "FAILED", "--duration", "2s", "<script>alert(1)</script>");
        ok("record", "--task", "build", "--id", id.toString(), "first, again");
        try (MetricsReader reader = MetricsReader.open(PostgresConfig.builder(CLUSTER.server().jdbcUrl()).user("postgres")
                .tableName(table).build())) {
            assertThat(reader.contains(id)).isTrue();
        }

        String json = ok("summary", "--since", "1h", "--format", "json").out();
        assertThat(json).contains("\"task\": \"build\", \"outcome\": \"FAILED\", \"count\": 1, \"share\": 0.25")
                .contains("\"task\": \"build\", \"outcome\": \"SUCCEEDED\", \"count\": 3, \"share\": 0.75");
        String succeeded = json.substring(json.indexOf("\"SUCCEEDED\""));
        assertThat(number(succeeded, "p50Ms")).isCloseTo(200, withinPercentage(0.1));
        assertThat(number(succeeded, "p99Ms")).isCloseTo(300, withinPercentage(0.1));
        assertThat(number(succeeded, "maxMs")).isEqualTo(300);

        List<String> tail = ok("tail", "-n", "2").out().lines().toList();
        assertThat(tail).hasSize(2);
        assertThat(tail.get(1)).contains("<script>alert(1)</script>");

        Path ndjson = dir.resolve("out.ndjson");
        ok("export", "--format", "ndjson", "--out", ndjson.toString());
        List<String> lines = Files.readAllLines(ndjson, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(4).allSatisfy(line -> assertThat(line).contains("\"host\": \""));
        assertThat(lines.get(3)).contains("\\u003cscript\\u003e");

        Path page = dir.resolve("report.html");
        assertThat(ok("report", "--since", "1h", "--out", page.toString()).out()).contains(": 4 completions of the last 1h");
        assertThat(Files.readString(page, StandardCharsets.UTF_8)).contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("<script>");

        assertThat(ok("prune", "--older-than", "0s", "--dry-run").out()).startsWith("4 completions older than");
        assertThat(ok("prune", "--older-than", "0s", "--roll-up").out()).startsWith("deleted 4 completions").contains("rolled up 4");
        assertThat(ok("summary", "--format", "csv").out().lines()).hasSize(1);
        assertThat(ok("summary", "--with-rolled-up", "--format", "json").out())
                .contains("\"outcome\": \"SUCCEEDED\", \"count\": 3").contains("\"outcome\": \"FAILED\", \"count\": 1");
    }

    @Test
    void aServerThatIsNotThereIsNotWrittenForRecordAndFailedForReads() {
        String url = "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2";
        StringWriter err = new StringWriter();
        String[] args = {"record", "--jdbc-url", url, "--user", "postgres", "--retry-deadline", "1s", "x"};
        CommandLine command = MetricsCli.commandLine(args);
        command.setErr(new PrintWriter(err));
        command.setOut(new PrintWriter(new StringWriter()));
        int exit = command.execute(args);
        assertThat(exit).as(err.toString()).isEqualTo(ExitCodes.NOT_WRITTEN);
        assertThat(err.toString()).startsWith("not written: ");
        String[] unknownRole = {"record", "--jdbc-url", CLUSTER.server().jdbcUrl(), "--user", "nobody_here",
                "--retry-deadline", "1s", "x"};
        StringWriter roleErr = new StringWriter();
        CommandLine role = MetricsCli.commandLine(unknownRole);
        role.setErr(new PrintWriter(roleErr));
        role.setOut(new PrintWriter(new StringWriter()));
        assertThat(role.execute(unknownRole)).as(roleErr.toString()).isEqualTo(ExitCodes.PERMANENT);
        String[] summary = {"summary", "--jdbc-url", url, "--user", "postgres"};
        CommandLine reads = MetricsCli.commandLine(summary);
        reads.setErr(new PrintWriter(new StringWriter()));
        assertThat(reads.execute(summary)).isEqualTo(ExitCodes.FAILED);
    }

    private static double number(String json, String field) {
        Matcher matcher = Pattern.compile("\"" + field + "\": ([0-9.]+)").matcher(json);
        assertThat(matcher.find()).as(field + " in " + json).isTrue();
        return Double.parseDouble(matcher.group(1));
    }
}
