package dev.sqlitemetrics.testkit.internal.report;

import dev.sqlitemetrics.testkit.ContentionReport;
import dev.sqlitemetrics.testkit.LevelResult;

import java.util.List;
import java.util.Map;

/**
 * A self-contained HTML page that fits a laptop's window: the verdict and every violation first,
 * the settings as a table, two charts (failed calls and p99 latency against writers, on a log axis,
 * one line per writer kind, the p99 limit drawn), then the levels in two narrow tables (what
 * happened to the records, how long the calls took). No scripts, no external files.
 */
public final class HtmlReport {
    private HtmlReport() {
    }

    public static String render(List<ContentionReport> reports) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>sqlite-metrics contention report</title><style>"
                + "body{font-family:system-ui,sans-serif;margin:1.5em auto;max-width:1180px;padding:0 1em;color:#222;"
                + "font-size:14px}table{border-collapse:collapse;margin:0.5em 0 1.5em}"
                + "td,th{border:1px solid #ccc;padding:3px 7px;text-align:right;white-space:nowrap}th{background:#f4f4f4}"
                + "td.text,th.text{text-align:left;white-space:normal}.fail{color:#b00;font-weight:bold}"
                + ".pass{color:#070;font-weight:bold}.charts{display:flex;flex-wrap:wrap;gap:1em}"
                + ".charts svg{flex:1 1 480px;max-width:560px;height:auto}ul.violations li{margin:0.2em 0}"
                + "</style></head><body>\n<h1>sqlite-metrics contention report</h1>\n");
        String verdict = Verdict.of(reports);
        html.append("<p class=\"").append(reports.get(0).passed() ? "pass" : "fail").append("\">")
                .append(escape(verdict)).append("</p>\n");
        violations(html, reports);
        html.append("<h2>Settings</h2>\n");
        settings(html, reports.get(0));
        html.append("<h2>Charts</h2>\n<div class=\"charts\">\n");
        html.append(LadderChart.render("Failed calls", reports, level -> level.failed(), null));
        html.append(LadderChart.render("p99 latency of acknowledged calls (ms)", reports, LevelResult::p99Ms,
                reports.get(0).scenario().thresholds().maxP99()));
        html.append("</div>\n<h2>Records</h2>\n");
        table(html, reports, LevelColumns.RECORDS);
        html.append("<h2>Latency</h2>\n");
        table(html, reports, LevelColumns.LATENCY);
        failures(html, reports);
        return html.append("</body></html>\n").toString();
    }

    /** Every violation of every level, first, in words. */
    private static void violations(StringBuilder html, List<ContentionReport> reports) {
        boolean any = reports.stream().flatMap(report -> report.levels().stream()).anyMatch(level -> !level.passed());
        if (!any) {
            return;
        }
        html.append("<h2>Violations</h2>\n<ul class=\"violations\">\n");
        for (ContentionReport report : reports) {
            for (LevelResult level : report.levels()) {
                for (String violation : level.violations()) {
                    html.append("<li><b>").append(Verdict.name(report)).append(", ").append(level.writers())
                            .append(" writers</b>: ").append(escape(violation)).append("</li>\n");
                }
            }
        }
        html.append("</ul>\n");
    }

    private static void settings(StringBuilder html, ContentionReport report) {
        html.append("<table>\n");
        for (Map.Entry<String, String> setting : Settings.of(report).entrySet()) {
            html.append("<tr><th class=\"text\">").append(escape(setting.getKey())).append("</th><td class=\"text\">")
                    .append(escape(setting.getValue())).append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static void table(StringBuilder html, List<ContentionReport> reports, List<LevelColumns.Column> columns) {
        html.append("<table><tr><th class=\"text\">writer</th>");
        for (LevelColumns.Column column : columns) {
            html.append("<th title=\"").append(escape(column.name())).append("\">").append(escape(column.label()))
                    .append("</th>");
        }
        html.append("</tr>\n");
        for (ContentionReport report : reports) {
            for (LevelResult level : report.levels()) {
                html.append("<tr><td class=\"text\">").append(Verdict.name(report)).append("</td>");
                for (LevelColumns.Column column : columns) {
                    html.append(column.flags(level) ? "<td class=\"fail\">" : "<td>")
                            .append(escape(column.value().apply(level))).append("</td>");
                }
                html.append("</tr>\n");
            }
        }
        html.append("</table>\n");
    }

    private static void failures(StringBuilder html, List<ContentionReport> reports) {
        StringBuilder list = new StringBuilder();
        for (ContentionReport report : reports) {
            for (LevelResult level : report.levels()) {
                if (!level.failuresByCode().isEmpty()) {
                    list.append("<li><b>").append(Verdict.name(report)).append(", ").append(level.writers())
                            .append(" writers</b>: ").append(escape(LevelColumns.failures(level, ", "))).append("</li>\n");
                }
            }
        }
        if (!list.isEmpty()) {
            html.append("<h2>Failed calls by outcome and code</h2>\n<ul>\n").append(list).append("</ul>\n");
        }
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
