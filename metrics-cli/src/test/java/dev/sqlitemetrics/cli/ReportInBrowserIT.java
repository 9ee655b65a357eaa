package dev.sqlitemetrics.cli;

import dev.sqlitemetrics.core.testing.HeadlessChromium;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sqlitemetrics.core.Completion;
import dev.sqlitemetrics.core.CompletionFilter;
import dev.sqlitemetrics.core.GroupBy;
import dev.sqlitemetrics.core.MetricsReader;
import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.Outcome;
import dev.sqlitemetrics.core.SqliteConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard rendered in a real browser (headless Chromium): recorded text that is markup shows
 * as text in the HTML, in SVG labels and titles, and nothing of it runs; the page's content security
 * policy refuses scripts even if one got in; the charts and tables show the known rows. A page that
 * pastes the same text in unescaped is caught by the same checks, so they can fail.
 */
@Timeout(120)
class ReportInBrowserIT {
    static final String SCRIPT = "<script>alert(1)</script>";
    static final String IMAGE = "\"><img src=x onerror=alert(1)>";
    static final String SVG = "</text></svg><svg onload=alert(1)>";
    /** Elements that recorded text could smuggle in to run something or load something. */
    static final String ACTIVE = "document.querySelectorAll('script, img, iframe, object, embed, link, a, form, input,"
            + " image, foreignObject, use, animate, set').length";
    static final String HANDLERS = "[...document.querySelectorAll('*')].filter(e => [...e.attributes]"
            + ".some(a => a.name.toLowerCase().startsWith('on'))).length";

    @TempDir
    Path dir;

    @Test
    void recordedMarkupShowsAsTextAndNothingRuns() throws Exception {
        Path db = dir.resolve("metrics.db");
        SqliteConfig config = SqliteConfig.defaults(db);
        try (MetricsRecorder recorder = MetricsRecorder.open(config)) {
            for (int i = 0; i < 30; i++) {
                recorder.recordCompletion(Completion.builder(SCRIPT, i % 5 == 0 ? Outcome.FAILED : Outcome.SUCCEEDED)
                        .duration(Duration.ofMillis(10 + i)).attribute("note", IMAGE).message(IMAGE + " run " + i).build());
            }
            for (int i = 0; i < 20; i++) {
                recorder.recordCompletion(Completion.builder(IMAGE, Outcome.SUCCEEDED).duration(Duration.ofMillis(100 + i))
                        .attribute(SCRIPT, SVG).message(SVG).build());
            }
            recorder.recordCompletion(Completion.builder("backup", Outcome.FAILED).duration(Duration.ofSeconds(2))
                    .message("=cmd|' /C calc'!A0 " + SCRIPT).build());
        }
        // Another client's rows: an outcome that is markup, and a row with nothing but a message.
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             PreparedStatement insert = connection.prepareStatement("INSERT INTO messages (msg, task, outcome) VALUES (?, ?, ?)")) {
            insert.setString(1, SCRIPT);
            insert.setString(2, SVG);
            insert.setString(3, SCRIPT);
            insert.executeUpdate();
            connection.createStatement().execute("INSERT INTO messages (msg) VALUES ('from a shell script')");
        }
        int bars;
        try (MetricsReader reader = MetricsReader.open(config)) {
            bars = reader.summarize(CompletionFilter.ALL, Set.of(GroupBy.TASK, GroupBy.MINUTE)).size();
        }

        Path page = dir.resolve("report.html");
        StringWriter err = new StringWriter();
        var command = MetricsCli.commandLine();
        command.setOut(new PrintWriter(new StringWriter()));
        command.setErr(new PrintWriter(err));
        assertThat(command.execute("report", "--db", db.toString(), "--since", "6h", "--out", page.toString()))
                .as(err.toString()).isZero();
        String html = Files.readString(page, StandardCharsets.UTF_8);
        for (String markup : List.of("<script", "<img", "<svg onload")) {
            assertThat(html.contains(markup)).as("the page's HTML holds " + markup).isFalse();
        }

        try (HeadlessChromium browser = HeadlessChromium.start(dir.resolve("profile"))) {
            HeadlessChromium.Page shown = browser.open(page);
            shown.screenshot(Path.of("target", "report-in-browser.png"));

            assertThat(shown.dialogs()).isEmpty();
            assertThat(shown.evaluate(ACTIVE).asInt()).isZero();
            assertThat(shown.evaluate(HANDLERS).asInt()).isZero();
            String text = shown.evaluate("document.body.innerText").asText();
            assertThat(text).contains(SCRIPT).contains(IMAGE).contains(SVG);
            // SVG text and titles (hover text) show the task names as they were recorded.
            assertThat(strings(shown.evaluate("[...document.querySelectorAll('#outcomes text.label')].map(t => t.textContent)")))
                    .anySatisfy(label -> assertThat(label).startsWith(SCRIPT.substring(0, 20)));
            assertThat(strings(shown.evaluate("[...document.querySelectorAll('#counts rect.bar title')].map(t => t.textContent)")))
                    .anySatisfy(title -> assertThat(title).startsWith(IMAGE + " \u00b7 "))
                    .anySatisfy(title -> assertThat(title).startsWith(SVG + " \u00b7 "));
            assertThat(strings(shown.evaluate("[...document.querySelectorAll('#task-legend li')].map(li => li.textContent)")))
                    .contains(SCRIPT, IMAGE, SVG, "backup", "(no task)");
            assertThat(strings(shown.evaluate("[...document.querySelectorAll('#outcome-legend li')].map(li => li.textContent)")))
                    .containsExactly("SUCCEEDED", "FAILED", SCRIPT, "(no outcome)");

            // The policy refuses a script even when one is put into the page.
            assertThat(shown.evaluate("(() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
                    + " document.body.appendChild(s); return window.__ran === undefined; })()").asBoolean()).isTrue();

            // What the page shows of the known rows.
            assertThat(shown.evaluate("document.querySelector('#tile-total .value').textContent").asText()).isEqualTo("53");
            assertThat(shown.evaluate("document.querySelector('#tile-failed .value').textContent").asText()).isEqualTo("7 (13.2%)");
            assertThat(shown.evaluate("document.querySelectorAll('#counts rect.bar').length").asInt()).isEqualTo(bars);
            assertThat(shown.evaluate("document.querySelectorAll('#task-table tbody tr').length").asInt()).isEqualTo(5);
            assertThat(shown.evaluate("document.querySelectorAll('#failed-table tbody tr').length").asInt()).isEqualTo(7);
            assertThat(strings(shown.evaluate("[...document.querySelectorAll('#slowest-table tbody tr')].slice(0, 2)"
                    + ".map(r => r.cells[3].textContent)"))).containsExactly("2.00 s", "119.0 ms");
            assertThat(shown.evaluate("document.querySelectorAll('#durations rect.band').length").asInt()).isPositive();
            assertThat(shown.evaluate("document.fonts.size + performance.getEntriesByType('resource').length").asInt()).isZero();
        }
    }

    @Test
    void freshDataFillsTheChartAndAClippedDurationShowsItsTrueValue() throws Exception {
        Path db = dir.resolve("fresh.db");
        SqliteConfig config = SqliteConfig.defaults(db);
        try (MetricsRecorder recorder = MetricsRecorder.open(config)) {
            for (int i = 0; i < 200; i++) {
                recorder.recordCompletion(Completion.builder("quick", Outcome.SUCCEEDED).duration(Duration.ofMillis(10)).build());
            }
            recorder.recordCompletion(Completion.builder("slow", Outcome.SUCCEEDED).duration(Duration.ofSeconds(45)).build());
        }
        Path page = dir.resolve("fresh.html");
        var command = MetricsCli.commandLine();
        StringWriter err = new StringWriter();
        command.setOut(new PrintWriter(new StringWriter()));
        command.setErr(new PrintWriter(err));
        // The default window is a week; the records are seconds old.
        assertThat(command.execute("report", "--db", db.toString(), "--out", page.toString())).as(err.toString()).isZero();
        try (HeadlessChromium browser = HeadlessChromium.start(dir.resolve("profile-fresh"))) {
            HeadlessChromium.Page shown = browser.open(page);
            double span = shown.evaluate("(() => { const bars = [...document.querySelectorAll('#counts rect.bar')];"
                    + " const left = Math.min(...bars.map(b => b.x.baseVal.value));"
                    + " const right = Math.max(...bars.map(b => b.x.baseVal.value + b.width.baseVal.value));"
                    + " return (right - left) / (960 - 64 - 16); })()").asDouble();
            assertThat(span).as("share of the plot's width the bars span").isGreaterThan(0.8);
            assertThat(strings(shown.evaluate("[...document.querySelectorAll('#durations text.clipped-value')]"
                    + ".map(t => t.textContent)"))).containsExactly("45.00 s");
            assertThat(shown.evaluate("document.querySelector('#durations-of').textContent").asText())
                    .startsWith("Of all tasks together");
        }
    }

    @Test
    void theSameChecksCatchAPageThatPastesRecordedTextIn() throws Exception {
        Path naive = dir.resolve("naive.html");
        Files.writeString(naive, "<!DOCTYPE html><html><body><table><tr><td>" + SCRIPT + "</td><td title=\"" + IMAGE
                + "\">x</td></tr></table><svg><text>" + SVG + "</text></svg></body></html>", StandardCharsets.UTF_8);
        try (HeadlessChromium browser = HeadlessChromium.start(dir.resolve("profile"))) {
            HeadlessChromium.Page shown = browser.open(naive);
            assertThat(shown.dialogs()).isNotEmpty().allSatisfy(dialog -> assertThat(dialog).startsWith("alert"));
            assertThat(shown.evaluate(ACTIVE).asInt()).isPositive();
            assertThat(shown.evaluate(HANDLERS).asInt()).isPositive();
            assertThat(shown.evaluate("document.body.innerText").asText()).doesNotContain(SCRIPT);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(node -> out.add(node.asText()));
        return out;
    }
}
