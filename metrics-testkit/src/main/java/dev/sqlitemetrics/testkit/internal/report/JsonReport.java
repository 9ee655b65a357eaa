package dev.sqlitemetrics.testkit.internal.report;

import dev.sqlitemetrics.core.PostgresConfig;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.core.StoreConfig;
import dev.sqlitemetrics.testkit.ContentionReport;
import dev.sqlitemetrics.testkit.LevelResult;
import dev.sqlitemetrics.testkit.Thresholds;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report as JSON with fixed field names (schemaVersion, config, levels,
 * integrityOk, breakingPoint; per level writers ... failuresByCode). Further reports of the same
 * run (a naive baseline) go under {@code baselines}.
 */
public final class JsonReport {
    private JsonReport() {
    }

    public static String render(List<ContentionReport> reports) {
        StringBuilder json = new StringBuilder();
        report(json, reports.get(0), reports.subList(1, reports.size()));
        return json.append('\n').toString();
    }

    private static void report(StringBuilder json, ContentionReport report, List<ContentionReport> baselines) {
        json.append("{\"schemaVersion\":").append(report.schemaVersion());
        json.append(",\"writer\":").append(Json.quote(report.scenario().writer().name()));
        json.append(",\"config\":");
        config(json, report.config());
        json.append(",\"levels\":[");
        for (int i = 0; i < report.levels().size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            level(json, report.levels().get(i));
        }
        json.append("],\"integrityOk\":").append(report.integrityOk());
        json.append(",\"breakingPoint\":").append(report.breakingPoint().isEmpty() ? "null"
                : String.valueOf(report.breakingPoint().getAsInt()));
        json.append(",\"passed\":").append(report.passed());
        json.append(",\"elapsedMs\":").append(report.elapsed().toMillis());
        json.append(",\"recordsPerWriter\":").append(report.scenario().recordsPerWriter());
        json.append(",\"calls\":").append(Json.quote(report.scenario().calls().flag()));
        json.append(",\"processes\":").append(report.scenario().processes());
        json.append(",\"warmUpRecords\":").append(report.scenario().warmUpRecords());
        json.append(",\"levelTimeoutMs\":").append(report.scenario().levelTimeout().toMillis());
        Thresholds thresholds = report.scenario().thresholds();
        json.append(",\"thresholds\":{\"maxFailures\":").append(thresholds.maxFailures())
                .append(",\"maxLost\":").append(thresholds.maxLost())
                .append(",\"maxUnknown\":").append(thresholds.maxUnknown())
                .append(",\"maxP99Ms\":").append(millisOrNull(thresholds.maxP99()))
                .append(",\"maxP999Ms\":").append(millisOrNull(thresholds.maxP999()))
                .append(",\"maxLatencyMs\":").append(millisOrNull(thresholds.maxLatency())).append('}');
        if (!baselines.isEmpty()) {
            json.append(",\"baselines\":[");
            for (int i = 0; i < baselines.size(); i++) {
                if (i > 0) {
                    json.append(',');
                }
                report(json, baselines.get(i), List.of());
            }
            json.append(']');
        }
        json.append('}');
    }

    private static void config(StringBuilder json, StoreConfig config) {
        json.append("{\"store\":").append(Json.quote(config instanceof SqliteConfig ? "sqlite" : "postgresql"));
        if (config instanceof SqliteConfig sqlite) {
            json.append(",\"path\":").append(Json.quote(sqlite.path().toString()))
                    .append(",\"busyTimeoutMs\":").append(sqlite.busyTimeout().toMillis())
                    .append(",\"journalMode\":").append(Json.quote(sqlite.journalMode().name()))
                    .append(",\"synchronous\":").append(Json.quote(sqlite.synchronous().name()));
        } else {
            PostgresConfig postgres = (PostgresConfig) config;
            // The URL without any password; the password itself never appears in a report.
            json.append(",\"jdbcUrl\":").append(Json.quote(postgres.database()))
                    .append(",\"user\":").append(postgres.user() == null ? "null" : Json.quote(postgres.user()))
                    .append(",\"connectTimeoutMs\":").append(postgres.connectTimeout().toMillis());
        }
        json.append(",\"retry\":{\"maxAttempts\":").append(config.retry().maxAttempts())
                .append(",\"initialBackoffMs\":").append(config.retry().initialBackoff().toMillis())
                .append(",\"maxBackoffMs\":").append(config.retry().maxBackoff().toMillis())
                .append(",\"jitter\":").append(config.retry().jitter())
                .append(",\"deadlineMs\":").append(config.retry().deadline().toMillis()).append('}')
                .append(",\"poolSize\":").append(config.poolSize())
                .append(",\"tableName\":").append(Json.quote(config.tableName()))
                .append(",\"maxMessageBytes\":").append(config.maxMessageBytes())
                .append(",\"maxBatchSize\":").append(config.maxBatchSize())
                .append(",\"queueCapacity\":").append(config.queueCapacity()).append('}');
    }

    private static void level(StringBuilder json, LevelResult level) {
        json.append("{\"writers\":").append(level.writers())
                .append(",\"attempted\":").append(level.attempted())
                .append(",\"acknowledged\":").append(level.acknowledged())
                .append(",\"failed\":").append(level.failed())
                .append(",\"notWritten\":").append(level.notWritten())
                .append(",\"unknown\":").append(level.unknown())
                .append(",\"lost\":").append(level.lost())
                .append(",\"duplicated\":").append(level.duplicated())
                .append(",\"unexpected\":").append(level.unexpected())
                .append(",\"altered\":").append(level.altered())
                .append(",\"presentNotWritten\":").append(level.presentNotWritten())
                .append(",\"changedAfterClose\":").append(level.changedAfterClose())
                .append(",\"anonymousChanged\":").append(level.anonymousChanged())
                .append(",\"foreignExceptions\":").append(level.foreignExceptions())
                .append(",\"p50Ms\":").append(number(level.p50Ms()))
                .append(",\"p95Ms\":").append(number(level.p95Ms()))
                .append(",\"p99Ms\":").append(number(level.p99Ms()))
                .append(",\"p999Ms\":").append(number(level.p999Ms()))
                .append(",\"maxMs\":").append(number(level.maxMs()))
                .append(",\"failedP50Ms\":").append(number(level.failedLatency().p50Ms()))
                .append(",\"failedP99Ms\":").append(number(level.failedLatency().p99Ms()))
                .append(",\"failedMaxMs\":").append(number(level.failedLatency().maxMs()))
                .append(",\"throughputPerSec\":").append(number(level.throughputPerSec()))
                .append(",\"drainMs\":").append(number(level.drainMs()))
                .append(",\"integrityOk\":").append(level.integrityOk())
                .append(",\"failuresByCode\":{");
        boolean first = true;
        for (Map.Entry<String, Long> entry : level.failuresByCode().entrySet()) {
            json.append(first ? "" : ",").append(Json.quote(entry.getKey())).append(':').append(entry.getValue());
            first = false;
        }
        json.append("},\"violations\":[");
        for (int i = 0; i < level.violations().size(); i++) {
            json.append(i > 0 ? "," : "").append(Json.quote(level.violations().get(i)));
        }
        json.append("]}");
    }

    private static Long millisOrNull(java.time.Duration value) {
        return value == null ? null : value.toMillis();
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
