package dev.sqlitemetrics.cli.report;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** What every chart of the page shares: the SVG element, legends, and how buckets are named. */
final class Charts {
    private Charts() {
    }

    /** The opening tag of a chart {@code height} high, described by {@code label} for screen readers. */
    static String open(String id, int height, String label) {
        return String.format(Locale.ROOT, "<svg id=\"%s\" class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\""
                + " role=\"img\" aria-label=\"%s\" xmlns=\"http://www.w3.org/2000/svg\">", id, TimeAxis.WIDTH, height,
                TimeAxis.WIDTH, height, Html.text(label));
    }

    /** A legend: a swatch and a label per entry, as HTML. */
    static String legend(String id, List<String[]> entries) {
        StringBuilder html = new StringBuilder("<ul class=\"legend\" id=\"" + id + "\">");
        for (String[] entry : entries) {
            html.append("<li><span class=\"swatch\" style=\"background:").append(entry[1]).append("\"></span>")
                    .append(Html.text(entry[0])).append("</li>");
        }
        return html.append("</ul>").toString();
    }

    static String unitName(Dashboard dashboard) {
        return dashboard.unit().toString().toLowerCase(Locale.ROOT).replaceAll("s$", "");
    }

    static DateTimeFormatter bucketFormat(Dashboard dashboard) {
        return DateTimeFormatter.ofPattern(switch (dashboard.bucket()) {
            case DAY -> "yyyy-MM-dd";
            default -> "yyyy-MM-dd HH:mm";
        }).withZone(ZoneOffset.UTC);
    }
}
