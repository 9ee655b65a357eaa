package dev.sqlitemetrics.testkit.report;

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
        StringBuilder csv = new StringBuilder("writer,writers,attempted,acknowledged,failed,lost,duplicated,unexpected,"
                + "p50Ms,p95Ms,p99Ms,maxMs,throughputPerSec,drainMs,integrityOk,failuresByCode\n");
        for (ContentionReport report : reports) {
            for (LevelResult level : report.levels()) {
                csv.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%d,%d,%d,%.3f,%.3f,%.3f,%.3f,%.1f,%.1f,%s,\"%s\"%n",
                        report.scenario().writer().name().toLowerCase(Locale.ROOT), level.writers(), level.attempted(),
                        level.acknowledged(), level.failed(), level.lost(), level.duplicated(), level.unexpected(),
                        level.p50Ms(), level.p95Ms(), level.p99Ms(), level.maxMs(), level.throughputPerSec(),
                        level.drainMs(), level.integrityOk(), level.failuresByCode().entrySet().stream()
                                .map(entry -> entry.getKey() + "=" + entry.getValue()).collect(Collectors.joining(";"))));
            }
        }
        return csv.toString();
    }
}
