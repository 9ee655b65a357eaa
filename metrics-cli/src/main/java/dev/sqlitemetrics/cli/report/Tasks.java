package dev.sqlitemetrics.cli.report;

import dev.sqlitemetrics.core.SummaryGroup;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The tasks a chart names, busiest first: the eight with most completions each get a colour of
 * their own (a palette that colour-blind readers can tell apart), the rest share one as
 * "other tasks". Rows without a task are "(no task)".
 */
final class Tasks {
    static final int NAMED = 8;
    static final String NO_TASK = "(no task)";
    static final String OTHER = "other tasks";
    private static final String[] PALETTE = {"#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442",
            "#333333"};
    private static final String OTHER_COLOUR = "#aaaaaa";

    /** A series: its label, colour and total count. */
    record Series(String label, String colour, long total) {
    }

    private final Map<String, Series> byTask = new HashMap<>();
    private final List<Series> order = new ArrayList<>();

    /** The series of the tasks in {@code groups} (any grouping that includes the task). */
    Tasks(List<SummaryGroup> groups) {
        Map<String, Long> totals = new LinkedHashMap<>();
        for (SummaryGroup group : groups) {
            totals.merge(key(group.task()), group.count(), Long::sum);
        }
        List<Map.Entry<String, Long>> busiest = new ArrayList<>(totals.entrySet());
        busiest.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        long otherTotal = 0;
        for (int i = 0; i < busiest.size(); i++) {
            Map.Entry<String, Long> task = busiest.get(i);
            if (i < NAMED) {
                Series series = new Series(label(task.getKey()), PALETTE[i], task.getValue());
                byTask.put(task.getKey(), series);
                order.add(series);
            } else {
                otherTotal += task.getValue();
            }
        }
        if (otherTotal > 0) {
            Series other = new Series(OTHER, OTHER_COLOUR, otherTotal);
            order.add(other);
            for (int i = NAMED; i < busiest.size(); i++) {
                byTask.put(busiest.get(i).getKey(), other);
            }
        }
    }

    /** The series {@code task}'s rows belong to. */
    Series of(String task) {
        return Objects.requireNonNull(byTask.get(key(task)), () -> "no series for task " + task);
    }

    /** Every series, busiest first, "other tasks" last. */
    List<Series> all() {
        return order;
    }

    // A task may be called "(no task)" too: the key keeps it apart from rows without one.
    private static String key(String task) {
        return task == null ? "\u0000" : "=" + task;
    }

    private static String label(String key) {
        return key.equals("\u0000") ? NO_TASK : key.substring(1);
    }
}
