package dev.sqlitemetrics.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A listener that keeps the size of every committed batch. The writer tells it just after releasing
 * the batch's callers, so read it after the recorder is closed.
 */
final class BatchSizes implements RecorderListener {
    private final List<Integer> sizes = new CopyOnWriteArrayList<>();

    @Override
    public void onBatchCommitted(int records, int attempts, Duration elapsed) {
        sizes.add(records);
    }

    List<Integer> sizes() {
        return List.copyOf(sizes);
    }
}
