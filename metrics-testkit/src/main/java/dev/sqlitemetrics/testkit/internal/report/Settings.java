package dev.sqlitemetrics.testkit.internal.report;

import dev.sqlitemetrics.core.ConfigProperties;
import dev.sqlitemetrics.core.Durations;
import dev.sqlitemetrics.testkit.ContentionReport;
import dev.sqlitemetrics.testkit.Scenario;
import dev.sqlitemetrics.testkit.Thresholds;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a run was set up with, as name and value pairs a reader can scan: the scenario, the
 * thresholds, then the recorder's settings under the names the properties and the flags use.
 */
final class Settings {
    private Settings() {
    }

    static Map<String, String> of(ContentionReport report) {
        Scenario scenario = report.scenario();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("writers per level", scenario.writerCounts().stream().map(String::valueOf)
                .collect(Collectors.joining(", ")));
        settings.put("records per writer", String.valueOf(scenario.recordsPerWriter()));
        settings.put("calls", scenario.calls().flag());
        settings.put("where writers run", scenario.processes() == 0 ? "threads of one JVM"
                : "spread over " + scenario.processes() + " child JVMs");
        if (scenario.prefillRows() > 0) {
            settings.put("prefilled rows", String.valueOf(scenario.prefillRows()));
        }
        if (scenario.warmUpRecords() > 0) {
            settings.put("warm-up records per thread", String.valueOf(scenario.warmUpRecords()));
        }
        if (scenario.lockHog() != null) {
            settings.put("lock hog", "holds the write lock " + Durations.format(scenario.lockHog().hold()) + " from "
                    + Durations.format(scenario.lockHog().at()) + " after the release");
        }
        Thresholds thresholds = scenario.thresholds();
        settings.put("thresholds", "failures " + thresholds.maxFailures() + ", lost " + thresholds.maxLost()
                + ", unknown " + thresholds.maxUnknown() + limit(", p99 ", thresholds.maxP99())
                + limit(", p99.9 ", thresholds.maxP999()) + limit(", slowest call ", thresholds.maxLatency()));
        ConfigProperties.toProperties(report.config()).forEach((key, value) -> {
            if (!List.of("db", "password").contains(key)) {
                settings.put(key, value);
            }
        });
        settings.put("database", report.config().database() + " (a fresh file or table per level)");
        return settings;
    }

    private static String limit(String name, Duration limit) {
        return limit == null ? "" : name + Durations.format(limit);
    }
}
