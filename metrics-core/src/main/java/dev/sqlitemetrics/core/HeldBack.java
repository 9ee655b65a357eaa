package dev.sqlitemetrics.core;

import java.time.Instant;

/**
 * Rows a prune kept although they are older than its cut-off, because a server the file is
 * forwarded to has not received them yet. A server that will never take them again (a mistyped
 * URL, a retired server) can be forgotten with {@link MetricsForwarder#forget}.
 *
 * @param target      the server and table, as {@link ForwardingLag#target()} names it
 * @param rows        old rows it has not received
 * @param lastShipped when rows were last shipped to it, or {@code null} if never
 */
public record HeldBack(String target, long rows, Instant lastShipped) {
}
