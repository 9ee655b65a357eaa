package dev.sqlitemetrics.core;

import java.time.Duration;

/**
 * A snapshot of a recorder's write path since it opened: what waits, what is being committed, what
 * was committed and failed. Counters only grow; each figure is read on its own, so a snapshot taken
 * under load may be off by the records of one batch between two of them.
 *
 * @param queued            records accepted and waiting for the writer
 * @param inFlight          records in the batch being committed now
 * @param committed         records durably committed
 * @param failedNotWritten  records failed definitely not written (refused, busy past the deadline, closed)
 * @param failedUnknown     records failed with an unknown outcome
 * @param retries           failed attempts of batches that were tried again
 * @param batches           batches committed
 * @param lastCommitLatency time from the first attempt to the end of COMMIT of the last committed batch, zero before the first
 */
public record RecorderStats(long queued, int inFlight, long committed, long failedNotWritten, long failedUnknown,
                            long retries, long batches, Duration lastCommitLatency) {

    /** Nothing recorded yet: what a fake recorder may answer. */
    public static final RecorderStats EMPTY = new RecorderStats(0, 0, 0, 0, 0, 0, 0, Duration.ZERO);

    /** Records failed, whatever their outcome. */
    public long failed() {
        return failedNotWritten + failedUnknown;
    }
}
