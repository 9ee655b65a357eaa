package dev.sqlitemetrics.testkit.internal.report;

import dev.sqlitemetrics.testkit.ContentionReport;
import dev.sqlitemetrics.testkit.LevelResult;
import dev.sqlitemetrics.testkit.WriterKind;

import java.util.List;
import java.util.Locale;

/**
 * A terminal table: one row per level of each report, with a column for every count that can
 * break a promise; below it the verdicts, and every violation of a failing level in words.
 */
public final class TextReport {
    private TextReport() {
    }

    /** Renders the reports one after another, each with its verdict. */
    public static String render(List<ContentionReport> reports) {
        StringBuilder text = new StringBuilder();
        for (ContentionReport report : reports) {
            text.append(describe(report)).append('\n');
        }
        text.append(String.format(Locale.ROOT, "%-9s", "writer"));
        for (LevelColumns.Column column : LevelColumns.ALL) {
            text.append(' ').append(pad(column.label(), column.width()));
        }
        text.append("  failures by outcome:code\n");
        for (ContentionReport report : reports) {
            for (LevelResult level : report.levels()) {
                text.append(String.format(Locale.ROOT, "%-9s", name(report)));
                for (LevelColumns.Column column : LevelColumns.ALL) {
                    text.append(' ').append(pad(column.value().apply(level), column.width()));
                }
                text.append("  ").append(LevelColumns.failures(level, ", ")).append('\n');
            }
        }
        for (ContentionReport report : reports) {
            text.append(String.format(Locale.ROOT, "%s: %s, breaking point %s, integrity %s, %d ms%n", name(report),
                    report.passed() ? "PASSED" : "THRESHOLDS VIOLATED",
                    report.breakingPoint().isEmpty() ? "none" : report.breakingPoint().getAsInt() + " writers",
                    report.integrityOk() ? "ok" : "FAILED", report.elapsed().toMillis()));
            report.levels().stream().filter(level -> !level.passed()).forEach(level -> text.append("  ")
                    .append(level.writers()).append(" writers: ").append(String.join("; ", level.violations())).append('\n'));
        }
        return text.toString();
    }

    /** What ran: the recorder's whole config, or how the naive writer was set up. */
    static String describe(ContentionReport report) {
        String where = (report.scenario().processes() > 0 ? " in " + report.scenario().processes() + " child JVMs"
                : " in threads of one JVM") + (report.scenario().warmUpRecords() > 0
                ? " warmed up with " + report.scenario().warmUpRecords() + " records per thread" : "");
        if (report.scenario().writer() == WriterKind.NAIVE) {
            String settings = report.config() instanceof dev.sqlitemetrics.core.SqliteConfig sqlite
                    ? "journalMode=" + sqlite.journalMode() + ", busyTimeout=" + report.scenario().naiveBusyTimeout().toMillis()
                    + "ms" : "on " + report.config().database();
            return "naive: a connection per record, one INSERT, no retry, " + settings + where;
        }
        if (report.scenario().writer() == WriterKind.LOCKED_CONNECTION) {
            return "locked_connection: one connection per JVM behind a lock, BEGIN IMMEDIATE ... COMMIT per record,"
                    + " retried on SQLITE_BUSY" + where;
        }
        return "recorder" + where + ": " + report.config();
    }

    private static String name(ContentionReport report) {
        return report.scenario().writer().name().toLowerCase(Locale.ROOT);
    }

    private static String pad(String value, int width) {
        return value.length() >= width ? value : " ".repeat(width - value.length()) + value;
    }
}
