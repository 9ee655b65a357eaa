package dev.sqlitemetrics.core.internal.read;

import dev.sqlitemetrics.core.MetricsException;
import dev.sqlitemetrics.core.MetricsRetention;
import dev.sqlitemetrics.core.PruneResult;
import dev.sqlitemetrics.core.StoreConfig;
import dev.sqlitemetrics.core.SummaryGroup;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** {@link MetricsRetention} over any store: the shared pruning on the store's dialect, failures as {@link MetricsException}. */
public final class TablePruner implements MetricsRetention {
    private final StoreConfig config;
    private final PruneDialect dialect;
    private final Pruning pruning;

    public TablePruner(StoreConfig config, PruneDialect dialect) {
        this.config = config;
        this.dialect = dialect;
        this.pruning = new Pruning(dialect);
    }

    @Override
    public long countBefore(Instant before) {
        Objects.requireNonNull(before, "before");
        try (Connection connection = dialect.connect()) {
            return pruning.countBefore(connection, before);
        } catch (SQLException e) {
            throw failure("counting old rows of", e);
        }
    }

    @Override
    public PruneResult prune(Instant before, boolean rollUp) {
        return prune(before, rollUp, deleted -> { });
    }

    @Override
    public PruneResult prune(Instant before, boolean rollUp, java.util.function.LongConsumer deleted) {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(deleted, "deleted");
        try (Connection connection = dialect.connectForWriting()) {
            return pruning.prune(connection, before, rollUp, deleted);
        } catch (SQLException e) {
            throw failure("pruning", e);
        }
    }

    @Override
    public List<SummaryGroup> dailySummaries() {
        try (Connection connection = dialect.connect()) {
            return pruning.dailySummaries(connection);
        } catch (SQLException e) {
            throw failure("reading the per-day summaries of", e);
        }
    }

    @Override
    public void close() {
        // Each call opens and closes its own connection; the store's pruning may hold a lock file open.
        dialect.close();
    }

    private MetricsException failure(String action, SQLException e) {
        return TableReader.failure(config, action, e,
                " (a batch that failed was rolled back: each row is still there, or deleted and rolled up)");
    }
}
