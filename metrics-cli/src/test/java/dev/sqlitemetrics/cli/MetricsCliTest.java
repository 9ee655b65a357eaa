package dev.sqlitemetrics.cli;

import dev.sqlitemetrics.core.CompletionFilter;
import dev.sqlitemetrics.core.MetricsReader;
import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.core.StoredCompletion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

/** Every subcommand against a real SQLite file: exit codes, output, and what is in the table afterwards. */
class MetricsCliTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = MetricsCli.commandLine();
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        int exit = command.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private String db() {
        return dir.resolve("metrics.db").toString();
    }

    @Test
    void whatRetryingCannotFixExits5AndABusyDatabaseExits3() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("a-folder"));
        assertThat(run("record", "--db", folder.toString(), "x").exit()).isEqualTo(ExitCodes.PERMANENT);
        Run missing = run("record", "--db", dir.resolve("missing/dir/x.db").toString(), "x");
        assertThat(missing.exit()).as(missing.err()).isEqualTo(ExitCodes.PERMANENT);
        assertThat(missing.err()).startsWith("not written, and trying again will not help: ");
        Path text = Files.writeString(dir.resolve("notes.db"), "not a database, just notes\n".repeat(200));
        assertThat(run("record", "--db", text.toString(), "x").exit()).isEqualTo(ExitCodes.PERMANENT);
        Path other = dir.resolve("other.db");
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + other);
             java.sql.Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE messages (n INTEGER NOT NULL, label TEXT)");
        }
        assertThat(run("record", "--db", other.toString(), "x").exit()).isEqualTo(ExitCodes.PERMANENT);

        String db = db();
        assertThat(run("record", "--db", db, "first").exit()).isZero();
        try (java.sql.Connection hog = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
             java.sql.Statement statement = hog.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            Run busy = run("record", "--db", db, "--retry-deadline", "300ms", "x");
            assertThat(busy.exit()).as(busy.err()).isEqualTo(ExitCodes.NOT_WRITTEN);
            assertThat(busy.err()).startsWith("not written: ");
            statement.execute("ROLLBACK");
        }
    }

    @Test
    void recordCommitsAndPrintsTheId() {
        Run recorded = run("record", "--db", db(), "--task", "backup", "--outcome", "FAILED", "--duration", "1.5s",
                "--attr", "host=a", "disk full");
        assertThat(recorded.exit()).as(recorded.err()).isZero();
        UUID id = UUID.fromString(recorded.out().strip());
        try (MetricsReader reader = MetricsReader.open(SqliteConfig.defaults(dir.resolve("metrics.db")))) {
            StoredCompletion row = reader.latest(CompletionFilter.ALL, 1).get(0);
            assertThat(row.id()).isEqualTo(id);
            assertThat(row.task()).isEqualTo("backup");
            assertThat(row.outcome()).isEqualTo("FAILED");
            assertThat(row.durationMillis()).isEqualTo(1500.0);
            assertThat(row.message()).isEqualTo("disk full");
            assertThat(row.attributesJson()).isEqualTo("{\"host\":\"a\"}");
        }
        // The same id again (settling an unknown outcome) keeps one row.
        assertThat(run("record", "--db", db(), "--task", "backup", "--outcome", "FAILED", "--id", id.toString(), "disk full")
                .exit()).isZero();
        try (MetricsReader reader = MetricsReader.open(SqliteConfig.defaults(dir.resolve("metrics.db")))) {
            assertThat(reader.latest(CompletionFilter.ALL, 10)).hasSize(1);
        }
    }

    @Test
    void aCommandLineWithOnlyTheNamedSubcommandParsesAsTheWholeOne() {
        for (String name : MetricsCli.SUBCOMMANDS) {
            assertThat(MetricsCli.commandLine(name, "--help").getSubcommands().get(name).getUsageMessage())
                    .isEqualTo(MetricsCli.commandLine().getSubcommands().get(name).getUsageMessage());
        }
        assertThat(MetricsCli.commandLine("record", "x").getSubcommands()).containsOnlyKeys("record");
        assertThat(MetricsCli.commandLine("--help").getSubcommands()).containsOnlyKeys(MetricsCli.SUBCOMMANDS);
        String[] lowerCase = {"record", "--db", db(), "--task", "t", "--outcome", "failed", "x"};
        assertThat(MetricsCli.commandLine(lowerCase).execute(lowerCase)).isZero();
    }

    @Test
    void contentionRunsTheTestkitsScenarioWithItsOwnExitCodes() {
        Run passed = run("contention", "--writers", "4,16", "--records-per-writer", "3");
        assertThat(passed.exit()).as(passed.out() + passed.err()).isZero();
        assertThat(passed.out()).contains("recorder: PASSED").contains("naive");
        // A threshold the naive writer's 16 writers cannot meet: exit 1, as the testkit's own command says.
        Run violated = run("contention", "--writers", "16", "--writer", "naive", "--max-p99", "1ms");
        assertThat(violated.exit()).as(violated.out() + violated.err()).isEqualTo(1);
        Run usage = run("contention", "--writers", "many");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(MetricsCli.commandLine("contention", "--help").getSubcommands().get("contention").getUsageMessage())
                .startsWith("Usage: sqlite-metrics contention");
    }

    @Test
    void migrateAdoptsTheClassicTableOnPurposeAndSummaryReadsItBefore() throws Exception {
        Path classic = dir.resolve("classic.db");
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + classic);
             java.sql.Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE messages (ts DATE DEFAULT (datetime('now','localtime')), msg TEXT)");
            statement.execute("INSERT INTO messages (ts, msg) VALUES ('2026-12-05 10:11:12', 'old')");
        }
        Run summary = run("summary", "--db", classic.toString(), "--since", "3650d", "--format", "csv");
        assertThat(summary.exit()).as(summary.err()).isZero();
        assertThat(summary.out().lines().skip(1)).singleElement().satisfies(line -> assertThat(line).contains(",1,"));
        Run dryRun = run("migrate", "--db", classic.toString(), "--dry-run");
        assertThat(dryRun.exit()).as(dryRun.err()).isZero();
        assertThat(dryRun.out()).startsWith("would run on " + classic + ":")
                .contains("  ALTER TABLE \"messages\" ADD COLUMN id TEXT;")
                .contains("  CREATE UNIQUE INDEX IF NOT EXISTS \"messages_id\" ON \"messages\" (id);");
        Run migrated = run("migrate", "--db", classic.toString());
        assertThat(migrated.exit()).as(migrated.err()).isZero();
        assertThat(migrated.out()).startsWith("ran on " + classic + ":").isEqualTo(dryRun.out().replace("would run", "ran"));
        assertThat(run("migrate", "--db", classic.toString()).out()).startsWith("nothing to change: table messages");
        assertThat(run("record", "--db", classic.toString(), "new").exit()).isZero();

        Path other = dir.resolve("other-shape.db");
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + other);
             java.sql.Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE messages (ts TEXT, msg TEXT, owner TEXT NOT NULL)");
        }
        Run refused = run("migrate", "--db", other.toString(), "--dry-run");
        assertThat(refused.exit()).isEqualTo(ExitCodes.PERMANENT);
        assertThat(refused.err()).startsWith("migrate failed: ").contains("extra column owner is NOT NULL");
    }

    @Test
    void usageErrorsAreOneLineAndAPointerToHelpNeverAStackTrace() throws Exception {
        Run unknown = run("serve", "--help");
        assertThat(unknown.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).startsWith("Unknown command: 'serve'").doesNotContain("Usage:");
        Run missing = run("record", "--db");
        assertThat(missing.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err().lines()).hasSize(2).last().isEqualTo("Run 'sqlite-metrics record --help' for its options.");
        Run typo = run("record", "--db", db(), "--synchronous", "FUL", "x");
        assertThat(typo.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(typo.err()).startsWith("--synchronous: must be one of OFF, NORMAL, FULL, EXTRA, was FUL");
        assertThat(run("record", "--db", db(), "x").exit()).isZero();
        Run folder = run("export", "--db", db(), "--format", "csv", "--out", dir.toString());
        assertThat(folder.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(folder.err()).startsWith("--out " + dir + " is a folder: give a file name").doesNotContain("\tat ");
        Run noFolder = run("report", "--db", db(), "--out", dir.resolve("missing/dir/r.html").toString());
        assertThat(noFolder.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(noFolder.err()).startsWith("--out " + dir.resolve("missing/dir/r.html") + ": there is no folder");
        Run version = run("-V");
        assertThat(version.out().strip()).isEqualTo("sqlite-metrics " + dev.sqlitemetrics.testkit.internal.cli.ArtifactVersion
                .of(MetricsCli.class)).doesNotContain("${").matches("sqlite-metrics \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    @Test
    void readingFiltersByOutcomeTaskAndTimeAndTablesStayAlignedForWideNames() {
        String wide = "夜間エクスポート🚀-and-a-task-name-longer-than-twenty-four";
        assertThat(run("record", "--db", db(), "--task", "build", "--outcome", "failed", "--duration", "2s").exit()).isZero();
        assertThat(run("record", "--db", db(), "--task", "build", "--duration", "1s").exit()).isZero();
        assertThat(run("record", "--db", db(), "--task", wide, "--duration", "3s", "--at", "2026-01-02T03:04:05Z").exit())
                .isZero();
        assertThat(run("record", "--db", db(), "plain message").exit()).isZero();

        Run failed = run("export", "--db", db(), "--format", "ndjson", "--outcome", "FAILED");
        assertThat(failed.out().lines()).singleElement().satisfies(line -> assertThat(line).contains("\"outcome\": \"FAILED\""));
        Run until = run("export", "--db", db(), "--format", "csv", "--until", "2026-06-01T00:00:00Z");
        assertThat(until.out().lines().skip(1)).singleElement().satisfies(line -> assertThat(line).contains(wide));
        Run tailJson = run("tail", "--db", db(), "--task", "build", "--format", "json");
        assertThat(tailJson.out().lines()).hasSize(2).allSatisfy(line -> assertThat(line).startsWith("{\"ts\": ")
                .contains("\"task\": \"build\""));

        // Every column starts at the same terminal column, whatever the task's width.
        Run table = run("summary", "--db", db());
        List<String> lines = table.out().lines().toList();
        int outcomeColumn = TextTable.width(lines.get(0).substring(0, lines.get(0).indexOf("outcome")));
        for (String line : lines.subList(1, lines.size())) {
            int at = line.contains("FAILED") ? line.indexOf("FAILED") : line.contains("SUCCEEDED") ? line.indexOf("SUCCEEDED")
                    : line.indexOf("(none)", line.indexOf("(none)") + 1);
            assertThat(TextTable.width(line.substring(0, at))).as(line).isEqualTo(outcomeColumn);
        }
        // A completion's summary message is not printed again beside the same columns.
        Run tail = run("tail", "--db", db(), "--task", "build");
        assertThat(tail.out()).doesNotContain("build SUCCEEDED in 1000ms").contains("1000.0 ms");
        assertThat(run("tail", "--db", db()).out()).contains("plain message");

        // Buckets are labelled by their time, not by an empty task and outcome.
        Run byMinute = run("summary", "--db", db(), "--by", "minute");
        assertThat(byMinute.out()).startsWith("bucket").doesNotContain("(none)").contains("2026-01-02T03:04:00Z");
    }

    @Test
    void exitCodesSayUsageAndNotWrittenForGood() {
        assertThat(run("record", "--db", db()).exit()).isEqualTo(2);
        assertThat(run("record", "--db", db(), "--outcome", "FAILED", "x").exit()).isEqualTo(2);
        assertThat(run("record", "--db", db(), "--jdbc-url", "jdbc:postgresql://h/d", "x").exit()).isEqualTo(2);
        assertThat(run("record", "--db", db(), "--task", "t", "--duration", "soon").exit()).isEqualTo(2);
        Run deadline = run("record", "--db", db(), "--retry-deadline", "1ms", "x");
        assertThat(deadline.exit()).isEqualTo(2);
        assertThat(deadline.err()).startsWith("--retry-deadline must be greater than --retry-initial-backoff (5ms), was 1ms");
        Run missingFolder = run("record", "--db", dir.resolve("no/such/folder/metrics.db").toString(), "x");
        assertThat(missingFolder.exit()).isEqualTo(ExitCodes.PERMANENT);
        assertThat(missingFolder.err()).startsWith("not written, and trying again will not help: ")
                .contains("no/such/folder");
    }

    @Test
    void summaryJsonHasTheFixedFieldsWithExactFigures() {
        for (String duration : new String[] {"100ms", "200ms", "300ms"}) {
            assertThat(run("record", "--db", db(), "--task", "build", "--duration", duration).exit()).isZero();
        }
        assertThat(run("record", "--db", db(), "--task", "build", "--outcome", "FAILED", "--duration", "2s").exit()).isZero();
        Run summary = run("summary", "--db", db(), "--since", "1h", "--format", "json");
        assertThat(summary.exit()).as(summary.err()).isZero();
        String json = summary.out();
        assertThat(json).startsWith("{\"groups\": [");
        assertThat(json).contains("\"task\": \"build\", \"outcome\": \"FAILED\", \"count\": 1, \"share\": 0.25");
        assertThat(json).contains("\"task\": \"build\", \"outcome\": \"SUCCEEDED\", \"count\": 3, \"share\": 0.75");
        String succeeded = json.substring(json.indexOf("\"SUCCEEDED\""));
        assertThat(number(succeeded, "p50Ms")).isCloseTo(200, withinPercentage(0.1));
        assertThat(number(succeeded, "p95Ms")).isCloseTo(300, withinPercentage(0.1));
        assertThat(number(succeeded, "p99Ms")).isCloseTo(300, withinPercentage(0.1));
        assertThat(number(succeeded, "maxMs")).isEqualTo(300);
        Run byHour = run("summary", "--db", db(), "--by", "hour", "--format", "csv");
        assertThat(byHour.out().lines().skip(1)).singleElement().satisfies(line -> assertThat(line).contains(",,,4,1,4,"));
    }

    private static double number(String json, String field) {
        Matcher matcher = Pattern.compile("\"" + field + "\": ([0-9.]+)").matcher(json);
        assertThat(matcher.find()).as(field + " in " + json).isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    @Test
    void exportKeepsRecordedTextAsData() throws Exception {
        assertThat(run("record", "--db", db(), "--task", "=cmd|' /C calc'!A0", "<script>alert(1)</script>").exit()).isZero();
        assertThat(run("record", "--db", db(), "@SUM(1+1)").exit()).isZero();
        Path csv = dir.resolve("out.csv");
        assertThat(run("export", "--db", db(), "--format", "csv", "--out", csv.toString()).exit()).isZero();
        String text = Files.readString(csv, StandardCharsets.UTF_8);
        assertThat(text).contains(",'=cmd|' /C calc'!A0,").contains(",'@SUM(1+1),").doesNotContain(",=cmd").doesNotContain(",@SUM");
        Path ndjson = dir.resolve("out.ndjson");
        assertThat(run("export", "--db", db(), "--format", "ndjson", "--out", ndjson.toString()).exit()).isZero();
        assertThat(Files.readAllLines(ndjson)).hasSize(2).first().satisfies(line ->
                assertThat(line).contains("\\u003cscript\\u003e").doesNotContain("<script>"));
    }

    @Test
    void reportWritesAPageOrSaysWhatIsWrongWithTheWindow() throws Exception {
        Path page = dir.resolve("report.html");
        MetricsRecorder.open(dir.resolve("metrics.db")).close();
        Run empty = run("report", "--db", db(), "--out", page.toString());
        assertThat(empty.exit()).as(empty.err()).isZero();
        assertThat(empty.out()).startsWith("wrote " + page + ": 0 completions of the last 7d per hour");
        assertThat(Files.readString(page)).contains("No completions were recorded in this window.");

        assertThat(run("record", "--db", db(), "--task", "build", "--duration", "250ms").exit()).isZero();
        Run made = run("report", "--db", db(), "--since", "2d", "--task", "build", "--out", page.toString());
        assertThat(made.out()).as("the axis fits the one fresh record").startsWith("wrote " + page + ": 1 completions of the last 2d per minute");
        assertThat(Files.readString(page)).contains("<svg id=\"counts\"").contains(" UTC, task build \u00b7 made ").contains("250.0 ms");

        Run tooMany = run("report", "--db", db(), "--since", "30d", "--bucket", "minute", "--out", page.toString());
        assertThat(tooMany.exit()).isEqualTo(2);
        assertThat(tooMany.err()).contains("--bucket minute over --since 30d makes 43201 bars, at most 2000");
        assertThat(run("report", "--db", db(), "--bucket", "task", "--out", page.toString()).err())
                .contains("--bucket must be minute, hour or day, was task");
        assertThat(run("report", "--db", db(), "--rows", "0", "--out", page.toString()).exit()).isEqualTo(2);
        assertThat(run("report", "--db", db(), "--since", "0s", "--out", page.toString()).exit()).isEqualTo(2);
    }

    @Test
    void tailShowsTheLatestOldestFirstAndPruneCountsThenDeletes() {
        for (int i = 1; i <= 5; i++) {
            assertThat(run("record", "--db", db(), "job " + i).exit()).isZero();
        }
        Run tail = run("tail", "--db", db(), "-n", "2");
        assertThat(tail.out().lines()).hasSize(2);
        assertThat(tail.out().lines().toList().get(0)).endsWith("job 4");
        assertThat(tail.out().lines().toList().get(1)).endsWith("job 5");

        assertThat(run("prune", "--db", db(), "--older-than", "0s", "--dry-run").out()).startsWith("5 completions older than");
        Run pruned = run("prune", "--db", db(), "--older-than", "0s", "--roll-up");
        assertThat(pruned.exit()).as(pruned.err()).isZero();
        assertThat(pruned.out()).startsWith("deleted 5 completions").contains("rolled up 5");
        assertThat(run("tail", "--db", db()).out()).isEmpty();
        assertThat(run("summary", "--db", db(), "--format", "csv").out().lines()).hasSize(1);
        Run rolledUp = run("summary", "--db", db(), "--with-rolled-up", "--by", "day", "--format", "csv");
        assertThat(rolledUp.out().lines().skip(1)).singleElement().satisfies(line -> assertThat(line).contains(",,,5,1,0,"));
        assertThat(run("summary", "--db", db(), "--with-rolled-up", "--by", "hour").err())
                .contains("rolled-up rows are kept per day: group by day or by no time bucket, was hours");
    }
}
