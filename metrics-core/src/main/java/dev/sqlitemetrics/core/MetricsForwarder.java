package dev.sqlitemetrics.core;

import javax.sql.DataSource;
import java.util.Objects;

/**
 * Ships the completions of one local SQLite file to a PostgreSQL table, exactly once: record locally
 * (fast, durable, never waiting on the network) and collect centrally. Rows go in commit order, in
 * batches, each one server transaction with {@code ON CONFLICT (id) DO NOTHING}; what has been shipped
 * is kept in the file itself (table {@code <table>_forwarded}) and moved on only after the server
 * committed. A crash or outage anywhere ships at most one batch again, which the server skips by id:
 * every row arrives once, and a row that was never recorded never arrives. Rows other clients wrote
 * without an id get one made from the file's identity and the row, the same each time.
 *
 * <p>Two ways to run it. Beside a recorder, in the background:
 * <pre>{@code
 * try (MetricsRecorder recorder = MetricsRecorder.open(local);
 *      MetricsForwarder forwarder = MetricsForwarder.open(ForwarderConfig.builder(local, central).build()).start()) {
 *     recorder.record(...);   // never waits for the server
 * }
 * }</pre>
 * Or once, shipping what is there ({@link #forwardAll()}), as {@code sqlite-metrics forward --once} does.
 *
 * <p>While the server is down or slow a running forwarder backs off (from a quarter second,
 * doubling, up to {@link ForwarderConfig#maxBackoff()}) and tries again, for as long as it runs;
 * recorders go on recording locally meanwhile, and the backlog drains in full batches once the server
 * is back. One forwarder per file and server: a second one, in any process, fails at open.
 */
public interface MetricsForwarder extends AutoCloseable {

    /**
     * A forwarder of {@code config}'s file, not yet running. Opens the file (which must exist) and its
     * progress; the server is first contacted when shipping.
     *
     * @throws MetricsException when the file is missing or unreadable, or another forwarder ships it to the same server
     */
    static MetricsForwarder open(ForwarderConfig config) {
        return open(config, ForwarderListener.NONE);
    }

    /** The same, with a listener for its events. */
    static MetricsForwarder open(ForwarderConfig config, ForwarderListener listener) {
        return FileForwarder.open(Objects.requireNonNull(config, "config"), null,
                Objects.requireNonNull(listener, "listener"));
    }

    /** The same, connecting to the server through the caller's {@code dataSource}. */
    static MetricsForwarder open(ForwarderConfig config, DataSource dataSource, ForwarderListener listener) {
        return FileForwarder.open(Objects.requireNonNull(config, "config"),
                Objects.requireNonNull(dataSource, "dataSource"), Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Ships every row recorded before the call, then returns. Failures are tried again within the
     * target's retry deadline ({@link PostgresConfig#retry()}), counted afresh after each batch that
     * made it; what cannot succeed by trying again (a table of another shape, a refused login) fails at once.
     *
     * @throws MetricsException      when shipping failed for good; rows shipped before stay shipped
     * @throws IllegalStateException when the forwarder is running in the background, or closed
     */
    ForwardResult forwardAll();

    /**
     * Starts shipping in the background, on a thread of its own, until {@link #close()}: every row
     * present, then new ones as they are recorded ({@link ForwarderConfig#pollInterval()}).
     *
     * @return this forwarder
     * @throws IllegalStateException when it is running already, or closed
     */
    MetricsForwarder start();

    /** What the server does not hold yet; reads the local file. */
    ForwardingLag lag();

    /**
     * Stops: a running forwarder finishes the batch in flight and moves the mark (or leaves it, and
     * the batch is shipped again next time, skipped by id). Releases the file and the connection.
     * Idempotent.
     */
    @Override
    void close();
}
