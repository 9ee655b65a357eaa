package dev.sqlitemetrics.cli;

import dev.sqlitemetrics.testkit.internal.report.Json;
import dev.sqlitemetrics.core.StoredCompletion;
import dev.sqlitemetrics.core.SummaryGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Summaries and rows as text, JSON and CSV. Recorded text comes from many processes and is data:
 * JSON escapes it, and a CSV cell that a spreadsheet would run as a formula ({@code =}, {@code +},
 * {@code -}, {@code @}, tab, carriage return first) is prefixed with an apostrophe.
 */
final class Render {
    static final String[] SUMMARY_COLUMNS = {"bucket", "task", "outcome", "count", "share", "withDuration", "p50Ms", "p95Ms",
            "p99Ms", "maxMs"};
    static final String[] ROW_COLUMNS = {"ts", "id", "task", "outcome", "durationMs", "message", "attributes", "pid", "host"};

    private Render() {
    }

    static String summaryText(List<SummaryGroup> groups) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%-20s %-24s %-10s %10s %7s %10s %10s %10s %10s%n",
                "bucket", "task", "outcome", "count", "share", "p50 ms", "p95 ms", "p99 ms", "max ms"));
        for (SummaryGroup group : groups) {
            text.append(String.format(Locale.ROOT, "%-20s %-24s %-10s %10d %6.1f%% %10s %10s %10s %10s%n",
                    group.bucket() == null ? "" : group.bucket().toString(), orNone(group.task()), orNone(group.outcome()),
                    group.count(), 100 * group.share(), millis(group.p50Ms()), millis(group.p95Ms()), millis(group.p99Ms()),
                    millis(group.maxMs())));
        }
        return text.toString();
    }

    static String summaryJson(List<SummaryGroup> groups) {
        List<String> items = new ArrayList<>();
        for (SummaryGroup group : groups) {
            items.add("{\"bucket\": " + string(group.bucket() == null ? null : group.bucket().toString())
                    + ", \"task\": " + string(group.task()) + ", \"outcome\": " + string(group.outcome())
                    + ", \"count\": " + group.count() + ", \"share\": " + number(group.share())
                    + ", \"withDuration\": " + group.withDuration() + ", \"p50Ms\": " + number(group.p50Ms())
                    + ", \"p95Ms\": " + number(group.p95Ms()) + ", \"p99Ms\": " + number(group.p99Ms())
                    + ", \"maxMs\": " + number(group.maxMs()) + "}");
        }
        return "{\"groups\": [" + String.join(", ", items) + "]}\n";
    }

    static String summaryCsv(List<SummaryGroup> groups) {
        StringBuilder csv = new StringBuilder(String.join(",", SUMMARY_COLUMNS)).append('\n');
        for (SummaryGroup group : groups) {
            csv.append(csvRow(group.bucket() == null ? "" : group.bucket().toString(), group.task(), group.outcome(),
                    String.valueOf(group.count()), csvNumber(group.share()), String.valueOf(group.withDuration()),
                    csvNumber(group.p50Ms()), csvNumber(group.p95Ms()), csvNumber(group.p99Ms()), csvNumber(group.maxMs())));
        }
        return csv.toString();
    }

    static String rowText(StoredCompletion row) {
        return String.format(Locale.ROOT, "%s  %-24s %-10s %10s  %s%s", row.timestamp(), orNone(row.task()),
                orNone(row.outcome()), row.durationMillis() == null ? "" : millis(row.durationMillis()) + " ms",
                row.message() == null ? "" : row.message().replaceAll("[\\r\\n\\t]", " "),
                row.attributesJson() == null ? "" : "  " + row.attributesJson());
    }

    static String rowJson(StoredCompletion row) {
        return "{\"ts\": " + string(row.timestamp() == null ? null : row.timestamp().toString()) + ", \"id\": "
                + string(row.id() == null ? null : row.id().toString()) + ", \"task\": " + string(row.task())
                + ", \"outcome\": " + string(row.outcome()) + ", \"durationMs\": "
                + (row.durationMillis() == null ? "null" : number(row.durationMillis())) + ", \"message\": "
                + string(row.message()) + ", \"attributes\": " + (row.attributesJson() == null ? "null" : row.attributesJson())
                + ", \"pid\": " + (row.pid() == null ? "null" : row.pid()) + ", \"host\": " + string(row.host()) + "}";
    }

    static String rowCsv(StoredCompletion row) {
        return csvRow(row.timestamp() == null ? null : row.timestamp().toString(), row.id() == null ? null : row.id().toString(),
                row.task(), row.outcome(), row.durationMillis() == null ? null : csvNumber(row.durationMillis()),
                row.message(), row.attributesJson(), row.pid() == null ? null : String.valueOf(row.pid()), row.host());
    }

    /** One CSV line: quoted where needed, formula-like cells defused. */
    static String csvRow(String... cells) {
        List<String> out = new ArrayList<>();
        for (String cell : cells) {
            String value = cell == null ? "" : cell;
            if (!value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 && !isNumber(value)) {
                value = "'" + value;
            }
            if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
                value = "\"" + value.replace("\"", "\"\"") + "\"";
            }
            out.add(value);
        }
        return String.join(",", out) + "\n";
    }

    private static boolean isNumber(String value) {
        try {
            Double.parseDouble(value);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** A JSON string literal, or {@code null}. */
    static String string(String value) {
        return Json.quote(value);
    }

    private static String number(double value) {
        return Double.isFinite(value) ? csvNumber(value) : "null";
    }

    private static String csvNumber(double value) {
        if (!Double.isFinite(value)) {
            return "";
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value)
                : String.format(Locale.ROOT, "%.6g", value).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    private static String millis(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.1f", value) : "-";
    }

    private static String orNone(String value) {
        return value == null ? "(none)" : value;
    }
}
