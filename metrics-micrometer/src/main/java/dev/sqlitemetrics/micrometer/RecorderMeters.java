package dev.sqlitemetrics.micrometer;

import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.RecorderListener;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Micrometer meters over a recorder, all tagged {@code db} with the recorder's database (a file's
 * path, or a server's URL without its password), and removed from the registry when the recorder
 * closes:
 *
 * <ul>
 *   <li>{@code sqlitemetrics.records.committed} (counter): records durably committed;</li>
 *   <li>{@code sqlitemetrics.records.failed} (counter, tagged {@code outcome} {@code NOT_WRITTEN} or
 *       {@code UNKNOWN}): records failed;</li>
 *   <li>{@code sqlitemetrics.queue.depth} (gauge): records accepted and waiting for the writer;</li>
 *   <li>{@code sqlitemetrics.batch.size} (distribution summary): records per committed batch;</li>
 *   <li>{@code sqlitemetrics.commit.duration} (timer): a batch's first attempt to the end of its COMMIT;</li>
 *   <li>{@code sqlitemetrics.retries} (counter): failed attempts that were tried again.</li>
 * </ul>
 *
 * A listener of the recorder, passed when it opens, and a binder of a registry:
 *
 * <pre>{@code
 * RecorderMeters meters = new RecorderMeters();
 * MetricsRecorder recorder = MetricsRecorder.builder(config).listener(meters).open();
 * meters.bindTo(registry);
 * }</pre>
 *
 * The counters read {@link MetricsRecorder#stats()}, so they count from the recorder's open whenever
 * the binding happens; the summary and the timer hear of each batch from the moment they are bound.
 * One instance per recorder.
 */
public final class RecorderMeters implements RecorderListener, MeterBinder {
    private final Tags extraTags;
    private volatile MetricsRecorder recorder;
    private volatile DistributionSummary batchSize;
    private volatile Timer commitDuration;
    private final List<Bound> bound = new ArrayList<>();

    private record Bound(MeterRegistry registry, List<Meter> meters) {
    }

    /** Meters tagged {@code db} only. */
    public RecorderMeters() {
        this(Tags.empty());
    }

    /** Meters tagged {@code db} and {@code tags} (an application, a region). */
    public RecorderMeters(Iterable<Tag> tags) {
        this.extraTags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    @Override
    public void onOpened(MetricsRecorder opened) {
        if (recorder != null && recorder != opened) {
            throw new IllegalStateException("a RecorderMeters listens to one recorder; this one already listens to "
                    + recorder.config().database());
        }
        recorder = opened;
    }

    /**
     * Registers the meters in {@code registry}.
     *
     * @throws IllegalStateException if no recorder was opened with this listener yet
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        MetricsRecorder watched = recorder;
        if (watched == null) {
            throw new IllegalStateException("open a recorder with this listener first:"
                    + " MetricsRecorder.builder(config).listener(meters).open()");
        }
        Tags tags = extraTags.and("db", watched.config().database());
        List<Meter> meters = new ArrayList<>();
        meters.add(FunctionCounter.builder("sqlitemetrics.records.committed", watched, r -> r.stats().committed())
                .description("records durably committed").tags(tags).register(registry));
        meters.add(FunctionCounter.builder("sqlitemetrics.records.failed", watched, r -> r.stats().failedNotWritten())
                .description("records failed").tags(tags.and("outcome", "NOT_WRITTEN"))
                .register(registry));
        meters.add(FunctionCounter.builder("sqlitemetrics.records.failed", watched, r -> r.stats().failedUnknown())
                .description("records failed").tags(tags.and("outcome", "UNKNOWN"))
                .register(registry));
        meters.add(FunctionCounter.builder("sqlitemetrics.retries", watched, r -> r.stats().retries())
                .description("failed attempts of batches that were tried again").tags(tags).register(registry));
        meters.add(Gauge.builder("sqlitemetrics.queue.depth", watched, r -> r.stats().queued())
                .description("records accepted and waiting for the writer").tags(tags)
                .register(registry));
        DistributionSummary sizes = DistributionSummary.builder("sqlitemetrics.batch.size")
                .description("records per committed batch").tags(tags).register(registry);
        Timer commits = Timer.builder("sqlitemetrics.commit.duration")
                .description("a batch's first attempt to the end of its COMMIT").tags(tags).register(registry);
        meters.add(sizes);
        meters.add(commits);
        synchronized (bound) {
            bound.add(new Bound(registry, meters));
        }
        batchSize = sizes;
        commitDuration = commits;
    }

    @Override
    public void onBatchCommitted(int records, int attempts, Duration elapsed) {
        DistributionSummary sizes = batchSize;
        Timer commits = commitDuration;
        if (sizes != null) {
            sizes.record(records);
            commits.record(elapsed);
        }
    }

    /** The recorder closed: its meters leave every registry they were bound to. */
    @Override
    public void onClosed() {
        synchronized (bound) {
            for (Bound each : bound) {
                each.meters().forEach(each.registry()::remove);
            }
            bound.clear();
        }
        batchSize = null;
        commitDuration = null;
    }
}
