package dev.sqlitemetrics.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of long work, on one line of a terminal: rows done of rows to do, the rate, the time left,
 * redrawn at most five times a second and ended with a newline. Silent when the output is not a
 * terminal (a pipe, a file, cron) or with {@code --quiet}, so that scripts read only the answer.
 */
final class Progress {
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final boolean shown;
    private final String what;
    private final long total;
    private final long start = System.nanoTime();
    private long lastDrawn;
    private long done;

    Progress(PrintWriter err, boolean shown, String what, long total) {
        this.err = err;
        this.shown = shown;
        this.what = what;
        this.total = total;
    }

    /** Progress on standard error when this process runs on a terminal and {@code quiet} is false. */
    static Progress onTerminal(PrintWriter err, boolean quiet, String what, long total) {
        return new Progress(err, wanted(quiet), what, total);
    }

    /** Whether a progress line would be shown: on a terminal, without {@code --quiet}. */
    static boolean wanted(boolean quiet) {
        return !quiet && System.console() != null;
    }

    /** {@code rows} more are done. */
    void advance(long rows) {
        done += rows;
        long now = System.nanoTime();
        if (shown && now - lastDrawn >= REDRAW_NANOS) {
            lastDrawn = now;
            err.print("\r" + line(now) + "   ");
            err.flush();
        }
    }

    /** The work is over: the line is drawn once more, complete, and ended. */
    void finish() {
        if (shown) {
            err.println("\r" + line(System.nanoTime()) + "   ");
            err.flush();
        }
    }

    /** {@code 12,000 of 50,000 rows, 8,100/s, 5 s left}. */
    String line(long now) {
        double seconds = Math.max(1e-3, (now - start) / 1e9);
        double rate = done / seconds;
        String left = done >= total || rate <= 0 ? "" : ", " + Math.round((total - done) / rate) + " s left";
        return String.format(Locale.ROOT, "%s: %,d of %,d rows, %,.0f/s%s", what, done, Math.max(total, done), rate, left);
    }
}
