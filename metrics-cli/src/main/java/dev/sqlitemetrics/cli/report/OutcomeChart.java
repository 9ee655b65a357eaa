package dev.sqlitemetrics.cli.report;

import dev.sqlitemetrics.core.SummaryGroup;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The outcome mix: for every task (busiest first) a bar of its outcomes' shares, with the count beside it. */
final class OutcomeChart {
    static final int ROW = 24;
    static final int LABEL = 180;
    static final Map<String, String> COLOURS = Map.of("SUCCEEDED", "#009e73", "FAILED", "#d55e00", "CANCELLED", "#e69f00",
            "SKIPPED", "#56b4e9");
    static final String OTHER_COLOUR = "#999999";
    static final String NO_OUTCOME = "(no outcome)";
    /** Outcomes in the order bars and legends show them; others follow by name, then rows without one. */
    static final List<String> ORDER = List.of("SUCCEEDED", "FAILED", "CANCELLED", "SKIPPED");

    private OutcomeChart() {
    }

    static String colour(String outcome) {
        return outcome == null ? OTHER_COLOUR : COLOURS.getOrDefault(outcome, OTHER_COLOUR);
    }

    static String svg(Dashboard dashboard, Tasks tasks) {
        Map<Tasks.Series, Map<String, Long>> rows = new LinkedHashMap<>();
        tasks.all().forEach(series -> rows.put(series, new TreeMap<>(OutcomeChart::compare)));
        for (SummaryGroup group : dashboard.perTaskAndOutcome()) {
            rows.get(tasks.of(group.task())).merge(group.outcome() == null ? NO_OUTCOME : group.outcome(), group.count(),
                    Long::sum);
        }
        int height = Math.max(1, rows.size()) * ROW + 8;
        StringBuilder svg = new StringBuilder(Charts.open("outcomes", height, "Share of each outcome per task"));
        int plot = TimeAxis.WIDTH - LABEL - 90;
        int row = 0;
        for (Map.Entry<Tasks.Series, Map<String, Long>> task : rows.entrySet()) {
            long total = task.getValue().values().stream().mapToLong(Long::longValue).sum();
            double y = 4 + row * ROW;
            String name = task.getKey().label();
            svg.append(String.format(Locale.ROOT, "<text class=\"label\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s<title>%s</title></text>",
                    LABEL - 8, y + 15, Html.shortened(name, 24), Html.text(name)));
            double x = LABEL;
            for (Map.Entry<String, Long> outcome : task.getValue().entrySet()) {
                double width = plot * (double) outcome.getValue() / total;
                svg.append(String.format(Locale.ROOT,
                        "<rect class=\"share\" x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>",
                        x, y + 2, width, ROW - 6, colour(outcome.getKey().equals(NO_OUTCOME) ? null : outcome.getKey()),
                        Html.text(name + " \u00b7 " + outcome.getKey() + ": " + outcome.getValue() + " of " + total + " ("
                                + String.format(Locale.ROOT, "%.1f%%", 100.0 * outcome.getValue() / total) + ")")));
                x += width;
            }
            svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%d\" y=\"%.1f\">%s</text>", LABEL + plot + 8, y + 15,
                    TimeAxis.number(total)));
            row++;
        }
        return svg.append("</svg>").toString();
    }

    /** The legend's entries: the outcomes that appear, in the bars' order. */
    static List<String[]> legend(Dashboard dashboard) {
        Set<String> seen = new TreeSet<>(OutcomeChart::compare);
        dashboard.perTaskAndOutcome().forEach(group -> seen.add(group.outcome() == null ? NO_OUTCOME : group.outcome()));
        List<String[]> entries = new ArrayList<>();
        seen.forEach(outcome -> entries.add(new String[] {outcome, colour(outcome.equals(NO_OUTCOME) ? null : outcome)}));
        return entries;
    }

    /** The outcomes' order: {@link #ORDER}, then other names, then rows without an outcome. */
    static int compare(String a, String b) {
        return Comparator.comparingInt(OutcomeChart::rank).thenComparing(Comparator.naturalOrder()).compare(a, b);
    }

    private static int rank(String outcome) {
        int known = ORDER.indexOf(outcome);
        return known >= 0 ? known : outcome.equals(NO_OUTCOME) ? ORDER.size() + 1 : ORDER.size();
    }
}
