package dev.sqlitemetrics.testkit.internal.report;

import dev.sqlitemetrics.testkit.ContentionReport;

import java.util.List;
import java.util.function.Function;

/** The output formats of a contention report; the first report is the main one, the rest baselines. */
public enum ReportFormat {
    /** A terminal table. */
    TEXT(TextReport::render),
    /** JSON with fixed field names. */
    JSON(JsonReport::render),
    /** One CSV row per level. */
    CSV(CsvReport::render),
    /** A self-contained HTML page with inline SVG charts. */
    HTML(HtmlReport::render);

    private final Function<List<ContentionReport>, String> renderer;

    ReportFormat(Function<List<ContentionReport>, String> renderer) {
        this.renderer = renderer;
    }

    /** Renders {@code reports}: the main report first, then its baselines. */
    public String render(List<ContentionReport> reports) {
        if (reports.isEmpty()) {
            throw new IllegalArgumentException("reports must not be empty, was []");
        }
        return renderer.apply(reports);
    }
}
