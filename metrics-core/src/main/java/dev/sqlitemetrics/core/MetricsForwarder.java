package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.internal.Stores;

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
 * is back. One forwarder per file and server: a second one, in any process, fails as soon as the
 * server has told who it is (its first connection). A server is known by its own identity
 * (PostgreSQL's {@code system_identifier}, database, schema and table), not by the URL that reached it:
 * {@code localhost} and {@code 127.0.0.1}, or two {@code DataSource}s to one server, are one target.
 */
public interface MetricsForwarder extends AutoCloseable {

    /**
     * A forwarder of {@code config}'s file, not yet running. Opens the file (which must exist) and its
     * progress; the server is first contacted when shipping.
     *
     * @throws MetricsException when the file is missing or unreadable
     */
    static MetricsForwarder open(ForwarderConfig config) {
        return open(config, ForwarderListener.NONE);
    }

    /** The same, with a listener for its events. */
    static MetricsForwarder open(ForwarderConfig config, ForwarderListener listener) {
        return Stores.forwarder(Objects.requireNonNull(config, "config"), null,
                Objects.requireNonNull(listener, "listener"));
    }

    /** The same, connecting to the server through the caller's {@code dataSource}. */
    static MetricsForwarder open(ForwarderConfig config, DataSource dataSource, ForwarderListener listener) {
        return Stores.forwarder(Objects.requireNonNull(config, "config"),
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
     * Stops. A running forwarder first ships every row recorded before the call, trying for at most
     * the target's retry deadline ({@link PostgresConfig#retry()}): closing a forwarder beside a
     * recorder leaves the server holding what was recorded. What it cannot ship stays in the file and
     * ships next time (a warning says so). A forwarder that was never started ships nothing here.
     * Releases the file and the connection. Idempotent.
     */
    @Override
    void close();

    /**
     * Forgets a server {@code source}'s file was forwarded to: its mark goes, and with it what it kept
     * pruning from deleting. For a server that will never take rows again (a mistyped URL, a retired
     * server), which would otherwise hold every unshipped row in the file forever. Forwarding to it
     * again later ships the file from its start (the server skips the ids it holds).
     *
     * @param target the server's name, as {@link ForwardingLag#target()} and {@link HeldBack#target()} give it
     * @return whether the file had a mark for it
     * @throws MetricsException when the file cannot be written
     */
    static boolean forget(SqliteConfig source, String target) {
        return Stores.forget(Objects.requireNonNull(source, "source"), Objects.requireNonNull(target, "target"));
    }
}
