package dev.sqlitemetrics.cli.report;

import dev.sqlitemetrics.core.StoredCompletion;
import dev.sqlitemetrics.core.SummaryGroup;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The dashboard as one self-contained HTML page: inline CSS and SVG, no script, no external
 * resource, and a content security policy that would refuse any of them. Every recorded text is
 * escaped ({@link Html}); charts carry titles that browsers show on hover.
 */
public final class DashboardPage {
    static final int MESSAGE_CHARACTERS = 200;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(java.time.ZoneOffset.UTC);

    private DashboardPage() {
    }

    /** The page of {@code dashboard}. */
    public static String render(Dashboard dashboard) {
        Tasks tasks = new Tasks(dashboard.perTaskAndOutcome());
        long total = dashboard.perTaskAndOutcome().stream().mapToLong(SummaryGroup::count).sum();
        long failed = dashboard.perTaskAndOutcome().stream().filter(group -> "FAILED".equals(group.outcome()))
                .mapToLong(SummaryGroup::count).sum();
        double slowest = dashboard.perTaskAndOutcome().stream().mapToDouble(SummaryGroup::maxMs).filter(Double::isFinite)
                .max().orElse(Double.NaN);
        String window = TIME.format(dashboard.window().from()) + " to " + TIME.format(dashboard.window().until()) + " UTC"
                + (dashboard.window().task() == null ? "" : ", task " + dashboard.window().task());
        StringBuilder html = new StringBuilder(32_768);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>sqlite-metrics: ").append(Html.text(dashboard.database())).append("</title>")
                .append("<style>").append(Style.CSS).append("</style></head><body>\n");
        html.append("<header><h1>Completions in ").append(Html.text(dashboard.database())).append("</h1><p id=\"window\">")
                .append(Html.text(window)).append(" \u00b7 made ").append(TIME.format(dashboard.generated())).append(" UTC</p></header>\n");
        html.append("<section class=\"tiles\">")
                .append(tile("total", "completions", TimeAxis.number(total)))
                .append(tile("failed", "failed", TimeAxis.number(failed)
                        + (total == 0 ? "" : String.format(Locale.ROOT, " (%.1f%%)", 100.0 * failed / total))))
                .append(tile("tasks", "tasks", String.valueOf(dashboard.perTaskAndOutcome().stream()
                        .map(group -> group.task() == null ? "\u0000" : group.task()).distinct().count())))
                .append(tile("slowest", "slowest", DurationChart.ms(slowest)))
                .append("</section>\n");
        if (total == 0) {
            html.append("<p id=\"empty\">No completions were recorded in this window.</p>\n");
        } else {
            html.append("<section id=\"counts-section\"><h2>Completions over time, per task</h2>").append(CountsChart.svg(dashboard, tasks));
            List<String[]> taskLegend = new ArrayList<>();
            tasks.all().forEach(series -> taskLegend.add(new String[] {series.label(), series.colour()}));
            html.append(Charts.legend("task-legend", taskLegend)).append("</section>\n");
            html.append("<section id=\"outcomes-section\"><h2>Outcome mix, per task</h2>").append(OutcomeChart.svg(dashboard, tasks))
                    .append(Charts.legend("outcome-legend", OutcomeChart.legend(dashboard)))
                    .append(taskTable(dashboard)).append("</section>\n");
            String which = dashboard.window().task() == null ? "all tasks together (report --task T shows one)"
                    : "task " + dashboard.window().task();
            html.append("<section id=\"durations-section\"><h2>Duration percentiles over time</h2><p class=\"note\""
                    + " id=\"durations-of\">Of ").append(Html.text(which)).append(".</p>").append(DurationChart.svg(dashboard))
                    .append(Charts.legend("duration-legend", List.of(new String[] {"p50 (median)", DurationChart.P50},
                            new String[] {"p50 to p95", DurationChart.P95}, new String[] {"p95 to p99", DurationChart.P99},
                            new String[] {"longest", DurationChart.MAX})))
                    .append("</section>\n");
            html.append("<section id=\"slowest-section\"><h2>Slowest completions</h2>").append(rowTable("slowest-table", dashboard.slowest()))
                    .append("</section>\n");
            html.append("<section id=\"failed-section\"><h2>Latest failures</h2>").append(dashboard.failed().isEmpty()
                    ? "<p id=\"no-failures\">No failed completions in this window.</p>"
                    : rowTable("failed-table", dashboard.failed())).append("</section>\n");
        }
        return html.append("</body></html>\n").toString();
    }

    private static String tile(String id, String label, String value) {
        return "<div class=\"tile\" id=\"tile-" + id + "\"><div class=\"value\">" + Html.text(value) + "</div><div class=\"name\">"
                + label + "</div></div>";
    }

    /** One row per task: count, the share of each outcome, and duration percentiles. */
    private static String taskTable(Dashboard dashboard) {
        Set<String> outcomes = new TreeSet<>(OutcomeChart::compare);
        Map<String, Map<String, Long>> counts = new HashMap<>();
        for (SummaryGroup group : dashboard.perTaskAndOutcome()) {
            String outcome = group.outcome() == null ? OutcomeChart.NO_OUTCOME : group.outcome();
            outcomes.add(outcome);
            counts.computeIfAbsent(taskKey(group.task()), task -> new HashMap<>()).merge(outcome, group.count(), Long::sum);
        }
        List<SummaryGroup> tasks = new ArrayList<>(dashboard.perTask());
        tasks.sort(Comparator.comparingLong(SummaryGroup::count).reversed());
        StringBuilder html = new StringBuilder("<table id=\"task-table\"><thead><tr><th>task</th><th class=\"n\">count</th>");
        outcomes.forEach(outcome -> html.append("<th class=\"n\">").append(Html.text(outcome)).append("</th>"));
        html.append("<th class=\"n\">p50</th><th class=\"n\">p95</th><th class=\"n\">p99</th><th class=\"n\">max</th></tr></thead><tbody>");
        for (SummaryGroup task : tasks) {
            Map<String, Long> byOutcome = counts.getOrDefault(taskKey(task.task()), Map.of());
            html.append("<tr><td>").append(task.task() == null ? "<i>" + Tasks.NO_TASK + "</i>" : Html.text(task.task()))
                    .append("</td><td class=\"n\">").append(task.count()).append("</td>");
            for (String outcome : outcomes) {
                long count = byOutcome.getOrDefault(outcome, 0L);
                html.append("<td class=\"n\">").append(count == 0 ? "" : String.format(Locale.ROOT, "%.1f%%", 100.0 * count / task.count()))
                        .append("</td>");
            }
            html.append("<td class=\"n\">").append(DurationChart.ms(task.p50Ms()))
                    .append("</td><td class=\"n\">").append(DurationChart.ms(task.p95Ms()))
                    .append("</td><td class=\"n\">").append(DurationChart.ms(task.p99Ms()))
                    .append("</td><td class=\"n\">").append(DurationChart.ms(task.maxMs())).append("</td></tr>");
        }
        return html.append("</tbody></table>").toString();
    }

    private static String taskKey(String task) {
        return task == null ? "\u0000" : "=" + task;
    }

    private static String rowTable(String id, List<StoredCompletion> rows) {
        StringBuilder html = new StringBuilder("<table id=\"" + id + "\"><thead><tr><th>time (UTC)</th><th>task</th><th>outcome</th>"
                + "<th class=\"n\">duration</th><th>message</th><th>attributes</th><th>from</th></tr></thead><tbody>");
        for (StoredCompletion row : rows) {
            String from = (row.host() == null ? "" : row.host()) + (row.pid() == null ? "" : " pid " + row.pid());
            html.append("<tr><td class=\"t\">").append(row.timestamp() == null ? "" : TIME.format(row.timestamp()))
                    .append("</td><td>").append(Html.text(row.task()))
                    .append("</td><td>").append(Html.text(row.outcome()))
                    .append("</td><td class=\"n\">").append(row.durationMillis() == null ? "" : DurationChart.ms(row.durationMillis()))
                    .append("</td><td class=\"m\" title=\"").append(Html.shortened(row.message(), 2_000)).append("\">")
                    .append(Html.shortened(row.message(), MESSAGE_CHARACTERS))
                    .append("</td><td class=\"m\">").append(Html.shortened(row.attributesJson(), MESSAGE_CHARACTERS))
                    .append("</td><td>").append(Html.text(from.strip())).append("</td></tr>");
        }
        return html.append("</tbody></table>").toString();
    }
}
