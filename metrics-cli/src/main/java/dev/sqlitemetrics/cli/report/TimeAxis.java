package dev.sqlitemetrics.cli.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The frame of a chart over time: one slot per bucket along x, a linear scale along y from 0 to a
 * round maximum, and the axes with their labels (UTC), drawn as SVG.
 */
final class TimeAxis {
    static final int WIDTH = 960;
    static final int LEFT = 64;
    static final int RIGHT = 16;
    static final int TOP = 14;
    static final int BOTTOM = 34;

    private final List<Instant> buckets;
    private final Map<Instant, Integer> slots = new HashMap<>();
    private final ChronoUnit unit;
    private final int height;
    private final double yMax;

    TimeAxis(List<Instant> buckets, ChronoUnit unit, int height, double largest) {
        this.buckets = buckets;
        this.unit = unit;
        this.height = height;
        this.yMax = roundUp(largest);
        for (int i = 0; i < buckets.size(); i++) {
            slots.put(buckets.get(i), i);
        }
    }

    /** The smallest of 1, 2, 2.5, 5 times a power of ten that is at least {@code value} (1 for nothing). */
    static double roundUp(double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * power >= value * (1 - 1e-12)) {
                return step * power;
            }
        }
        return 10 * power;
    }

    /** The slot of {@code bucket}, or -1 when it is outside the window. */
    int slot(Instant bucket) {
        return slots.getOrDefault(bucket, -1);
    }

    double slotWidth() {
        return (double) (WIDTH - LEFT - RIGHT) / Math.max(1, buckets.size());
    }

    double x(int slot) {
        return LEFT + slot * slotWidth();
    }

    /** The y of {@code value}, clipped to the plot. */
    double y(double value) {
        double clipped = Math.max(0, Math.min(yMax, value));
        return height - BOTTOM - clipped / yMax * (height - TOP - BOTTOM);
    }

    double yMax() {
        return yMax;
    }

    int height() {
        return height;
    }

    /** Grid lines with their values (in {@code unitText}), and time labels under the slots. */
    String axes(String unitText) {
        StringBuilder svg = new StringBuilder();
        for (int i = 0; i <= 4; i++) {
            double value = yMax * i / 4;
            double y = y(value);
            svg.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>",
                    LEFT, y, WIDTH - RIGHT, y));
            svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s%s</text>",
                    LEFT - 6, y + 4, number(value), i == 4 ? Html.text(unitText) : ""));
        }
        int labels = Math.min(8, buckets.size());
        int every = Math.max(1, (int) Math.ceil((double) buckets.size() / Math.max(1, labels)));
        DateTimeFormatter format = DateTimeFormatter.ofPattern(unit == ChronoUnit.DAYS ? "yyyy-MM-dd" : "MM-dd HH:mm")
                .withZone(ZoneOffset.UTC);
        for (int i = 0; i < buckets.size(); i += every) {
            double x = x(i) + slotWidth() / 2;
            svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                    x, height - BOTTOM + 16, format.format(buckets.get(i))));
        }
        return svg.toString();
    }

    /** A count or a duration as a short label: 950, 1.2k, 3.5M; 0.25. */
    static String number(double value) {
        if (value >= 1e6) {
            return trim(String.format(Locale.ROOT, "%.1f", value / 1e6)) + "M";
        }
        if (value >= 1e4) {
            return trim(String.format(Locale.ROOT, "%.1f", value / 1e3)) + "k";
        }
        if (value == Math.rint(value)) {
            return String.valueOf((long) value);
        }
        return trim(String.format(Locale.ROOT, value < 1 ? "%.3f" : "%.1f", value));
    }

    private static String trim(String text) {
        return text.contains(".") ? text.replaceAll("0+$", "").replaceAll("\\.$", "") : text;
    }
}
