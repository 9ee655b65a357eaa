package dev.sqlitemetrics.testkit.internal.report;

import dev.sqlitemetrics.testkit.ContentionReport;
import dev.sqlitemetrics.testkit.LevelResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * An inline SVG line chart of one figure against the number of writers: writers on a logarithmic
 * axis (ladders double, or run 10, 100, 1000), one line per writer kind, and a limit drawn as a
 * dashed line when one is set. Scales to the width of its box.
 */
final class LadderChart {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};
    private static final int WIDTH = 560;
    private static final int HEIGHT = 300;
    private static final int LEFT = 60;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 45;

    private LadderChart() {
    }

    /**
     * @param limitMillis a limit to draw on the value axis (in the figure's unit, milliseconds), or {@code null}
     */
    static String render(String title, List<ContentionReport> reports, ToDoubleFunction<LevelResult> value,
                         Duration limitMillis) {
        TreeSet<Integer> writers = new TreeSet<>();
        double max = limitMillis == null ? 0 : limitMillis.toNanos() / 1e6;
        for (ContentionReport report : reports) {
            for (LevelResult level : report.levels()) {
                writers.add(level.writers());
                max = Math.max(max, value.applyAsDouble(level));
            }
        }
        double top = niceCeiling(max);
        Axis x = new Axis(writers.first(), writers.last());
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" role=\"img\" aria-label=\"%s\">"
                        + "<text x=\"%d\" y=\"22\" font-size=\"14\">%s</text>",
                WIDTH, HEIGHT, WIDTH, HtmlReport.escape(title), LEFT, HtmlReport.escape(title)));
        int bottom = HEIGHT - BOTTOM;
        for (int step = 0; step <= 4; step++) {
            double tick = top * step / 4;
            double py = y(tick, top);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>"
                            + "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>",
                    LEFT, py, WIDTH - RIGHT, py, step == 0 ? "#888" : "#eee", LEFT - 6, py + 4, number(tick)));
        }
        for (int tick : x.ticks(writers)) {
            double px = x.position(tick);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888\"/>"
                            + "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%d</text>",
                    px, bottom, px, bottom + 4, px, bottom + 17, tick));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">"
                + "writers (log scale)</text>", LEFT + (WIDTH - LEFT - RIGHT) / 2, HEIGHT - 8));
        if (limitMillis != null) {
            double py = y(limitMillis.toNanos() / 1e6, top);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#b00\""
                            + " stroke-dasharray=\"6 4\"/><text x=\"%d\" y=\"%.1f\" font-size=\"11\" fill=\"#b00\""
                            + " text-anchor=\"end\">limit %s ms</text>",
                    LEFT, py, WIDTH - RIGHT, py, WIDTH - RIGHT, py - 4, number(limitMillis.toNanos() / 1e6)));
        }
        for (int r = 0; r < reports.size(); r++) {
            ContentionReport report = reports.get(r);
            String colour = COLOURS[r % COLOURS.length];
            StringBuilder points = new StringBuilder();
            for (LevelResult level : report.levels()) {
                double px = x.position(level.writers());
                double py = y(value.applyAsDouble(level), top);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\">"
                                + "<title>%s, %d writers: %s</title></circle>", px, py, colour, Verdict.name(report),
                        level.writers(), number(value.applyAsDouble(level))));
            }
            svg.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"2\" points=\"")
                    .append(points.toString().trim()).append("\"/>");
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"%s\">%s</text>",
                    LEFT + 8 + 110 * r, TOP - 4, colour, Verdict.name(report)));
        }
        return svg.append("</svg>\n").toString();
    }

    private static double y(double value, double top) {
        return HEIGHT - BOTTOM - value / top * (HEIGHT - BOTTOM - TOP);
    }

    /** The smallest of 1, 2 or 5 times a power of ten at or above {@code value} (at least 1). */
    static double niceCeiling(double value) {
        if (value <= 1) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * power >= value) {
                return step * power;
            }
        }
        return 10 * power;
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%.1f", value);
    }

    /** The writers axis, logarithmic from the smallest level to the largest. */
    private record Axis(int min, int max) {
        double position(int writers) {
            double width = WIDTH - LEFT - RIGHT;
            if (max == min) {
                return LEFT + width / 2;
            }
            return LEFT + (Math.log(writers) - Math.log(min)) / (Math.log(max) - Math.log(min)) * width;
        }

        /** The levels themselves when there are few, else 1, 2 and 5 times the powers of ten in range. */
        List<Integer> ticks(TreeSet<Integer> levels) {
            if (levels.size() <= 8) {
                return List.copyOf(levels);
            }
            List<Integer> ticks = new ArrayList<>();
            for (long power = 1; power <= max; power *= 10) {
                for (long step : new long[] {1, 2, 5}) {
                    long tick = step * power;
                    if (tick >= min && tick <= max) {
                        ticks.add((int) tick);
                    }
                }
            }
            return ticks;
        }
    }
}
