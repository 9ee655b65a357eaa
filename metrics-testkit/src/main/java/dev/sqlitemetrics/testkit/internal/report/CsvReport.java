package dev.sqlitemetrics.testkit.internal.report;

import dev.sqlitemetrics.testkit.ContentionReport;
import dev.sqlitemetrics.testkit.LevelResult;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** One CSV row per level of each report, with a header row. */
public final class CsvReport {
    private CsvReport() {
    }

    public static String render(List<ContentionReport> reports) {
        StringBuilder csv = new StringBuilder("writer,")
                .append(LevelColumns.ALL.stream().map(LevelColumns.Column::name).collect(Collectors.joining(",")))
                .append(",failed,drainMs,integrityOk,failuresByCode,violations\n");
        for (ContentionReport report : reports) {
            for (LevelResult level : report.levels()) {
                csv.append(report.scenario().writer().name().toLowerCase(Locale.ROOT));
                for (LevelColumns.Column column : LevelColumns.ALL) {
                    csv.append(',').append(column.value().apply(level));
                }
                csv.append(String.format(Locale.ROOT, ",%d,%.1f,%s,%s,%s%n", level.failed(), level.drainMs(),
                        level.integrityOk(), quote(LevelColumns.failures(level, ";")),
                        quote(String.join("; ", level.violations()))));
            }
        }
        return csv.toString();
    }

    private static String quote(String text) {
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }
}
