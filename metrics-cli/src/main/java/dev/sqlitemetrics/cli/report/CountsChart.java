package dev.sqlitemetrics.cli.report;

import dev.sqlitemetrics.core.SummaryGroup;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Completions over time: one bar per time bucket, stacked by task, each segment titled with its count. */
final class CountsChart {
    static final int HEIGHT = 260;

    private CountsChart() {
    }

    static String svg(Dashboard dashboard, Tasks tasks) {
        List<Instant> buckets = dashboard.buckets();
        Map<Instant, Long> totals = new HashMap<>();
        for (SummaryGroup group : dashboard.perTaskAndTime()) {
            totals.merge(group.bucket(), group.count(), Long::sum);
        }
        double largest = totals.values().stream().mapToLong(Long::longValue).max().orElse(0);
        TimeAxis axis = new TimeAxis(buckets, dashboard.unit(), HEIGHT, largest);
        StringBuilder svg = new StringBuilder(Charts.open("counts", HEIGHT,
                "Completions per " + Charts.unitName(dashboard) + ", stacked by task"));
        svg.append(axis.axes(""));
        // Groups come ordered by bucket, then task: each bucket's segments stack upwards in legend order.
        Map<Instant, Map<Tasks.Series, Long>> stacks = new HashMap<>();
        for (SummaryGroup group : dashboard.perTaskAndTime()) {
            stacks.computeIfAbsent(group.bucket(), b -> new LinkedHashMap<>())
                    .merge(tasks.of(group.task()), group.count(), Long::sum);
        }
        DateTimeFormatter format = Charts.bucketFormat(dashboard);
        double width = Math.max(0.5, axis.slotWidth() * 0.86);
        for (Map.Entry<Instant, Map<Tasks.Series, Long>> stack : stacks.entrySet()) {
            int slot = axis.slot(stack.getKey());
            if (slot < 0) {
                continue;
            }
            double x = axis.x(slot) + (axis.slotWidth() - width) / 2;
            long below = 0;
            for (Tasks.Series series : tasks.all()) {
                Long count = stack.getValue().get(series);
                if (count == null) {
                    continue;
                }
                double top = axis.y(below + count);
                double bottom = axis.y(below);
                svg.append(String.format(Locale.ROOT,
                        "<rect class=\"bar\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"><title>%s</title></rect>",
                        x, top, width, Math.max(0.5, bottom - top), series.colour(),
                        Html.text(series.label() + " \u00b7 " + format.format(stack.getKey()) + " UTC: " + count)));
                below += count;
            }
        }
        return svg.append("</svg>").toString();
    }
}
