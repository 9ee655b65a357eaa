package dev.sqlitemetrics.core.internal.sqlite.spool;

/**
 * A record a leader took from the spool. Internal: not part of the API.
 *
 * @param position where it is in the spool
 * @param payload  the record as {@link SpooledRecords} encoded it
 * @param foreign  whether another process owns it
 * @param orphan   whether an earlier leader had taken it and died before settling it: that leader's
 *                 COMMIT may have happened, so the row must be written again, not skipped
 */
public record Taken(long position, byte[] payload, boolean foreign, boolean orphan) {
}
