package dev.sqlitemetrics.cli.report;

import dev.sqlitemetrics.core.SummaryGroup;

import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Duration percentiles over time: per bucket a band from p50 to p95 and a lighter one from p95 to
 * p99, a line at the median and a dot at the longest. The scale ends at the largest p99, so that a
 * few outliers do not flatten the bands: a longest duration above it is drawn as a triangle on the
 * top edge, labelled with its true value.
 */
final class DurationChart {
    static final int HEIGHT = 260;
    static final String P50 = "#08306b";
    static final String P95 = "#4292c6";
    static final String P99 = "#c6dbef";
    static final String MAX = "#d55e00";

    private DurationChart() {
    }

    static String svg(Dashboard dashboard) {
        List<SummaryGroup> timed = dashboard.perTime().stream().filter(group -> group.withDuration() > 0).toList();
        double largest = timed.stream().mapToDouble(SummaryGroup::p99Ms).max().orElse(0);
        TimeAxis axis = new TimeAxis(dashboard.buckets(), dashboard.unit(), HEIGHT, largest);
        StringBuilder svg = new StringBuilder(Charts.open("durations", HEIGHT,
                "Duration percentiles per " + Charts.unitName(dashboard) + " in milliseconds"));
        svg.append(axis.axes(" ms"));
        DateTimeFormatter format = Charts.bucketFormat(dashboard);
        double width = Math.max(0.5, axis.slotWidth() * 0.86);
        for (SummaryGroup group : timed) {
            int slot = axis.slot(group.bucket());
            if (slot < 0) {
                continue;
            }
            double x = axis.x(slot) + (axis.slotWidth() - width) / 2;
            String title = Html.text(format.format(group.bucket()) + " UTC, " + group.withDuration() + " with a duration: p50 "
                    + ms(group.p50Ms()) + ", p95 " + ms(group.p95Ms()) + ", p99 " + ms(group.p99Ms()) + ", max "
                    + ms(group.maxMs()));
            svg.append(band("p99", x, width, axis.y(group.p99Ms()), axis.y(group.p95Ms()), P99, title));
            svg.append(band("p95", x, width, axis.y(group.p95Ms()), axis.y(group.p50Ms()), P95, title));
            double median = axis.y(group.p50Ms());
            svg.append(band("p50", x, width, median - 1, median + 1, P50, title));
            double centre = x + width / 2;
            if (group.maxMs() > axis.yMax()) {
                double top = axis.y(axis.yMax());
                svg.append(String.format(Locale.ROOT, "<path class=\"max clipped\" d=\"M%.2f %.2f l-4 7 h8 z\" fill=\"%s\">"
                        + "<title>%s</title></path><text class=\"clipped-value\" x=\"%.2f\" y=\"%.2f\" font-size=\"10\""
                        + " text-anchor=\"middle\" fill=\"%s\">%s</text>", centre, top, MAX, title, centre, top + 18, MAX,
                        Html.text(ms(group.maxMs()))));
            } else {
                svg.append(String.format(Locale.ROOT, "<circle class=\"max\" cx=\"%.2f\" cy=\"%.2f\" r=\"2.5\" fill=\"%s\">"
                        + "<title>%s</title></circle>", centre, axis.y(group.maxMs()), MAX, title));
            }
        }
        return svg.append("</svg>").toString();
    }

    private static String band(String kind, double x, double width, double top, double bottom, String colour, String title) {
        return String.format(Locale.ROOT,
                "<rect class=\"band %s\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"><title>%s</title></rect>",
                kind, x, top, width, Math.max(0.5, bottom - top), colour, title);
    }

    static String ms(double millis) {
        if (Double.isNaN(millis)) {
            return "-";
        }
        return millis >= 1000 ? String.format(Locale.ROOT, "%.2f s", millis / 1000) : String.format(Locale.ROOT, "%.1f ms", millis);
    }
}
