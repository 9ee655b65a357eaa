package dev.sqlitemetrics.testkit.internal.report;

import dev.sqlitemetrics.core.testing.HeadlessChromium;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.testkit.ContentionReport;
import dev.sqlitemetrics.testkit.LevelResult;
import dev.sqlitemetrics.testkit.Scenario;
import dev.sqlitemetrics.testkit.Thresholds;
import dev.sqlitemetrics.testkit.WriterKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contention report as a reader sees it, in headless Chromium at 1,280 pixels: no horizontal
 * scroll, the violations first, the violation columns on screen, the settings as a table, and charts
 * whose writers axis is numeric (a level twice as large sits the same distance further right).
 */
class HtmlReportInBrowserIT {
    private static final int WINDOW = 1280;

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void aReportWithABrokenBaselineFitsTheWindowAndShowsItsViolationsFirst() throws Exception {
        Scenario recorder = Scenario.builder().writerCounts(10, 20, 40, 80, 160, 320, 640, 1280)
                .thresholds(Thresholds.NOTHING_LOST.withMaxP99(Duration.ofMillis(250))).build();
        Scenario naive = recorder.toBuilder().writer(WriterKind.NAIVE).build();
        SqliteConfig config = SqliteConfig.defaults(dir.resolve("a-rather-long-folder-name-for-a-temporary-run")
                .resolve("contention.db"));
        ContentionReport passed = ContentionReport.of(config, recorder, levels(recorder, false), Duration.ofSeconds(40));
        ContentionReport broken = ContentionReport.of(config, naive, levels(naive, true), Duration.ofSeconds(90));
        Path page = dir.resolve("report.html");
        Files.writeString(page, HtmlReport.render(List.of(passed, broken)), StandardCharsets.UTF_8);

        try (HeadlessChromium browser = HeadlessChromium.start(dir.resolve("profile"))) {
            HeadlessChromium.Page shown = browser.open(page, WINDOW);
            shown.screenshot(Path.of("target", "contention-report-1280.png"));
            assertThat(shown.evaluate("document.documentElement.scrollWidth").asInt()).as("no horizontal scroll")
                    .isLessThanOrEqualTo(WINDOW);
            for (String column : List.of("lost", "dup", "unexp", "alter", "nw-pres", "late", "anon", "frgn")) {
                assertThat(shown.evaluate("(() => { const th = [...document.querySelectorAll('th')].find(t =>"
                        + " t.textContent === '" + column + "'); const r = th.getBoundingClientRect();"
                        + " return r.width > 0 && r.right <= " + WINDOW + "; })()").asBoolean())
                        .as("column %s on screen", column).isTrue();
            }
            String text = shown.evaluate("document.body.innerText").asText();
            assertThat(text.indexOf("Violations")).as("violations before the tables").isPositive()
                    .isLessThan(text.indexOf("Records"));
            assertThat(text).contains("the naive baseline failed as expected (from 320 writers)")
                    .contains("naive, 320 writers: 160 lost > maxLost 0");
            assertThat(shown.evaluate("document.querySelectorAll('table')[0].rows.length").asInt())
                    .as("the settings as a table").isGreaterThan(5);
            assertThat(text).doesNotContain("SqliteConfig[");
            // Numeric log axis: 10, 20, 40 and 80 writers are equally spaced.
            String xs = "[...document.querySelectorAll('svg')[0].querySelectorAll('circle')].slice(0, 4)"
                    + ".map(c => parseFloat(c.getAttribute('cx')))";
            double[] x = new double[4];
            for (int i = 0; i < 4; i++) {
                x[i] = shown.evaluate(xs + "[" + i + "]").asDouble();
            }
            assertThat(x[2] - x[1]).isCloseTo(x[1] - x[0], org.assertj.core.api.Assertions.within(0.5));
            assertThat(x[3] - x[2]).isCloseTo(x[1] - x[0], org.assertj.core.api.Assertions.within(0.5));
            assertThat(shown.evaluate("[...document.querySelectorAll('svg')[1].querySelectorAll('text')]"
                    + ".some(t => t.textContent === 'limit 250 ms')").asBoolean()).as("the p99 limit drawn").isTrue();
        }
    }

    /** A level per writer count; the naive writer loses half of each level from 320 writers on. */
    private static List<LevelResult> levels(Scenario scenario, boolean breaks) {
        List<LevelResult> levels = new ArrayList<>();
        for (int writers : scenario.writerCounts()) {
            long lost = breaks && writers >= 320 ? writers / 2 : 0;
            List<String> violations = lost > 0 ? List.of(lost + " lost > maxLost 0") : List.of();
            levels.add(new LevelResult(writers, writers, writers, lost, lost, 0, lost, 0, 0, 0, 0, 0, 0, 0,
                    1.5, 4.2, 12.3 * writers / 10, 20, 40, LevelResult.Latency.NONE, 1000, 100,
                    lost > 0 ? Map.of("NOT_WRITTEN:SQLITE_BUSY", lost) : Map.of(), true, violations));
        }
        return levels;
    }
}
