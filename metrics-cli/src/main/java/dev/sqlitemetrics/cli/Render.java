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

    /**
     * The summary as a table with a column for each thing grouped by (a time bucket, the task, the
     * outcome), so that a row is labelled by what it counts.
     */
    static String summaryText(List<SummaryGroup> groups, java.util.Set<dev.sqlitemetrics.core.GroupBy> by) {
        boolean time = by.stream().anyMatch(unit -> unit != dev.sqlitemetrics.core.GroupBy.TASK
                && unit != dev.sqlitemetrics.core.GroupBy.OUTCOME);
        boolean task = by.contains(dev.sqlitemetrics.core.GroupBy.TASK);
        boolean outcome = by.contains(dev.sqlitemetrics.core.GroupBy.OUTCOME);
        List<Boolean> right = new ArrayList<>();
        List<String> header = new ArrayList<>();
        if (time) {
            header.add("bucket");
            right.add(false);
        }
        if (task) {
            header.add("task");
            right.add(false);
        }
        if (outcome) {
            header.add("outcome");
            right.add(false);
        }
        header.addAll(List.of("count", "share", "p50 ms", "p95 ms", "p99 ms", "max ms"));
        boolean[] aligned = new boolean[header.size()];
        for (int i = 0; i < aligned.length; i++) {
            aligned[i] = i >= right.size();
        }
        TextTable table = new TextTable(aligned).row(header.toArray(String[]::new));
        for (SummaryGroup group : groups) {
            List<String> cells = new ArrayList<>();
            if (time) {
                cells.add(group.bucket() == null ? "" : group.bucket().toString());
            }
            if (task) {
                cells.add(orNone(group.task()));
            }
            if (outcome) {
                cells.add(orNone(group.outcome()));
            }
            cells.addAll(List.of(String.valueOf(group.count()), String.format(Locale.ROOT, "%.1f%%", 100 * group.share()),
                    millis(group.p50Ms()), millis(group.p95Ms()), millis(group.p99Ms()), millis(group.maxMs())));
            table.row(cells.toArray(String[]::new));
        }
        return table.render();
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

    /**
     * A row as one line, its task padded to {@code taskColumns} terminal columns. The message is left out
     * when it is the summary a completion without one gets ({@code "<task> <OUTCOME> in <n>ms"}), which
     * would only repeat the columns before it.
     */
    static String rowText(StoredCompletion row, int taskColumns) {
        String message = row.message() == null || row.message().equals(defaultMessage(row)) ? ""
                : row.message().replaceAll("[\\r\\n\\t]", " ");
        String line = row.timestamp() + "  " + TextTable.pad(orNone(row.task()), taskColumns, false) + "  "
                + TextTable.pad(orNone(row.outcome()), 9, false) + "  "
                + TextTable.pad(row.durationMillis() == null ? "" : millis(row.durationMillis()) + " ms", 11, true)
                + "  " + message + (row.attributesJson() == null ? "" : "  " + row.attributesJson());
        return line.stripTrailing();
    }

    /** The message a completion recorded without one is stored with. */
    private static String defaultMessage(StoredCompletion row) {
        if (row.task() == null || row.outcome() == null) {
            return null;
        }
        return row.task() + " " + row.outcome() + (row.durationMillis() == null ? ""
                : " in " + Math.round(row.durationMillis()) + "ms");
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
