package dev.sqlitemetrics.testkit.report;

import dev.sqlitemetrics.testkit.ContentionReport;
import dev.sqlitemetrics.testkit.LevelResult;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** A terminal table: one row per level of each report, the breaking point and verdict below. */
public final class TextReport {
    private static final String HEADER = String.format(Locale.ROOT, "%-9s %8s %9s %9s %8s %6s %5s %9s %9s %9s %9s %10s  %s",
            "writer", "writers", "attempted", "acked", "failed", "lost", "dup", "p50 ms", "p95 ms", "p99 ms", "max ms",
            "records/s", "failures by code");

    private TextReport() {
    }

    /** Renders the reports one after another, each with its verdict. */
    public static String render(List<ContentionReport> reports) {
        StringBuilder text = new StringBuilder();
        for (ContentionReport report : reports) {
            text.append(describe(report)).append('\n');
        }
        text.append(HEADER).append('\n');
        for (ContentionReport report : reports) {
            for (LevelResult level : report.levels()) {
                text.append(String.format(Locale.ROOT, "%-9s %8d %9d %9d %8d %6d %5d %9.1f %9.1f %9.1f %9.1f %10.0f  %s%n",
                        report.scenario().writer().name().toLowerCase(Locale.ROOT), level.writers(), level.attempted(),
                        level.acknowledged(), level.failed(), level.lost(), level.duplicated(), level.p50Ms(),
                        level.p95Ms(), level.p99Ms(), level.maxMs(), level.throughputPerSec(), codes(level)));
            }
        }
        for (ContentionReport report : reports) {
            text.append(String.format(Locale.ROOT, "%s: %s, breaking point %s, integrity %s, %d ms%n",
                    report.scenario().writer().name().toLowerCase(Locale.ROOT),
                    report.passed() ? "PASSED" : "THRESHOLDS VIOLATED",
                    report.breakingPoint() == null ? "none" : report.breakingPoint() + " writers",
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
        if (report.scenario().writer() == dev.sqlitemetrics.testkit.WriterKind.NAIVE) {
            return "naive: a connection per record, one INSERT, no retry, journalMode=" + report.config().journalMode()
                    + ", busyTimeout=" + report.scenario().naiveBusyTimeout().toMillis() + "ms" + where;
        }
        return "recorder" + where + ": " + report.config();
    }

    private static String codes(LevelResult level) {
        return level.failuresByCode().entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue())
                .collect(Collectors.joining(", "));
    }
}
