package dev.sqlitemetrics.testkit.internal.report;

import dev.sqlitemetrics.testkit.ContentionReport;
import dev.sqlitemetrics.testkit.LevelResult;

import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * A self-contained HTML page: two inline SVG charts (failed calls and p99 latency against writer
 * count, one line per writer kind) and the table of every level. No scripts, no external files.
 */
public final class HtmlReport {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};
    private static final int WIDTH = 560;
    private static final int HEIGHT = 300;
    private static final int MARGIN = 50;

    private HtmlReport() {
    }

    public static String render(List<ContentionReport> reports) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>sqlite-metrics contention report</title><style>"
                + "body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}"
                + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f4f4f4}"
                + ".fail{color:#b00;font-weight:bold}svg{margin-right:2em}</style></head><body>\n");
        html.append("<h1>sqlite-metrics contention report</h1>\n<p>").append(escape(reports.get(0).config().toString()))
                .append("</p>\n<p>");
        for (ContentionReport report : reports) {
            html.append("<b>").append(name(report)).append("</b>: ")
                    .append(report.passed() ? "passed" : "<span class=\"fail\">thresholds violated</span>")
                    .append(", breaking point ").append(report.breakingPoint().isEmpty() ? "none" : report.breakingPoint().getAsInt() + " writers")
                    .append(". ");
        }
        html.append("</p>\n");
        html.append(chart("Failed calls", reports, level -> level.failed()));
        html.append(chart("p99 latency (ms)", reports, LevelResult::p99Ms));
        html.append("\n<table><tr><th>writer</th>");
        for (LevelColumns.Column column : LevelColumns.ALL) {
            html.append("<th>").append(escape(column.label())).append("</th>");
        }
        html.append("<th>failures by outcome:code</th><th>violations</th></tr>\n");
        for (ContentionReport report : reports) {
            for (LevelResult level : report.levels()) {
                html.append("<tr><td>").append(name(report)).append("</td>");
                for (LevelColumns.Column column : LevelColumns.ALL) {
                    html.append(column.flags(level) ? "<td class=\"fail\">" : "<td>")
                            .append(escape(column.value().apply(level))).append("</td>");
                }
                html.append("<td>").append(escape(LevelColumns.failures(level, ", "))).append("</td><td")
                        .append(level.passed() ? ">" : " class=\"fail\">")
                        .append(escape(String.join("; ", level.violations()))).append("</td></tr>\n");
            }
        }
        return html.append("</table>\n</body></html>\n").toString();
    }

    private static String chart(String title, List<ContentionReport> reports, ToDoubleFunction<LevelResult> value) {
        TreeSet<Integer> writers = new TreeSet<>();
        double max = 1;
        for (ContentionReport report : reports) {
            for (LevelResult level : report.levels()) {
                writers.add(level.writers());
                max = Math.max(max, value.applyAsDouble(level));
            }
        }
        List<Integer> xs = List.copyOf(writers);
        double plotWidth = WIDTH - 2.0 * MARGIN;
        double plotHeight = HEIGHT - 2.0 * MARGIN;
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">"
                        + "<text x=\"%d\" y=\"20\" font-size=\"14\">%s</text>"
                        + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>"
                        + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>"
                        + "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%.0f</text>",
                WIDTH, HEIGHT, escape(title), MARGIN, escape(title), MARGIN, HEIGHT - MARGIN, WIDTH - MARGIN,
                HEIGHT - MARGIN, MARGIN, MARGIN, MARGIN, HEIGHT - MARGIN, MARGIN - 4, MARGIN + 4, max));
        for (int i = 0; i < xs.size(); i++) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%d</text>",
                    x(i, xs.size(), plotWidth), HEIGHT - MARGIN + 16, xs.get(i)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">writers</text>",
                WIDTH / 2, HEIGHT - 10));
        for (int r = 0; r < reports.size(); r++) {
            ContentionReport report = reports.get(r);
            String colour = COLOURS[r % COLOURS.length];
            StringBuilder points = new StringBuilder();
            for (LevelResult level : report.levels()) {
                double px = x(xs.indexOf(level.writers()), xs.size(), plotWidth);
                double py = HEIGHT - MARGIN - value.applyAsDouble(level) / max * plotHeight;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>", px, py, colour));
            }
            svg.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"2\" points=\"")
                    .append(points.toString().trim()).append("\"/>");
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"%s\">%s</text>",
                    WIDTH - MARGIN - 80, MARGIN + 14 * r, colour, name(report)));
        }
        return svg.append("</svg>\n").toString();
    }

    private static double x(int index, int count, double plotWidth) {
        return MARGIN + (count == 1 ? plotWidth / 2 : index * plotWidth / (count - 1));
    }

    private static String name(ContentionReport report) {
        return report.scenario().writer().name().toLowerCase(Locale.ROOT);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
