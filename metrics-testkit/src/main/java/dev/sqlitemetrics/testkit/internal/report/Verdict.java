package dev.sqlitemetrics.testkit.internal.report;

import dev.sqlitemetrics.testkit.ContentionReport;
import dev.sqlitemetrics.testkit.LevelResult;
import dev.sqlitemetrics.testkit.WriterKind;

import java.util.List;
import java.util.Locale;

/**
 * The run's verdict in one sentence, as the command line prints it and the reports head with it: the
 * writer under test passed or not, and what its baselines did. A naive baseline that breaks is the
 * expected outcome, and said so, not reported as a failure of the run.
 */
public final class Verdict {
    private Verdict() {
    }

    /** The first report is the writer under test; the others are its baselines. */
    public static String of(List<ContentionReport> reports) {
        ContentionReport tested = reports.get(0);
        StringBuilder text = new StringBuilder(tested.passed() ? "PASS: " : "FAIL: ");
        text.append("the ").append(name(tested));
        if (tested.passed()) {
            text.append(" passed every level (").append(ladder(tested)).append(" writers)");
        } else {
            LevelResult broken = tested.levels().stream().filter(level -> !level.passed()).findFirst().orElse(null);
            text.append(" broke ").append(broken == null ? "the integrity check"
                    : "at " + broken.writers() + " writers: " + String.join("; ", broken.violations()));
        }
        for (ContentionReport baseline : reports.subList(1, reports.size())) {
            text.append("; the ").append(name(baseline));
            if (baseline.passed()) {
                text.append(" baseline held too on this machine");
            } else {
                text.append(" baseline failed").append(baseline.scenario().writer() == WriterKind.NAIVE ? " as expected" : "")
                        .append(" (from ").append(baseline.breakingPoint().isPresent()
                                ? baseline.breakingPoint().getAsInt() + " writers" : "its integrity check").append(')');
            }
        }
        return text.append('.').toString();
    }

    /** The writer kind as the reports name it. */
    static String name(ContentionReport report) {
        return report.scenario().writer().name().toLowerCase(Locale.ROOT);
    }

    private static String ladder(ContentionReport report) {
        List<LevelResult> levels = report.levels();
        return levels.size() == 1 ? String.valueOf(levels.get(0).writers())
                : levels.get(0).writers() + " to " + levels.get(levels.size() - 1).writers();
    }
}
