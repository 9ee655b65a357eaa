package dev.sqlitemetrics.core.internal.read;

import dev.sqlitemetrics.core.CompletionFilter;
import dev.sqlitemetrics.core.ForwardingLag;
import dev.sqlitemetrics.core.GroupBy;
import dev.sqlitemetrics.core.MetricsException;
import dev.sqlitemetrics.core.MetricsReader;
import dev.sqlitemetrics.core.StoreConfig;
import dev.sqlitemetrics.core.StoredCompletion;
import dev.sqlitemetrics.core.SummaryGroup;
import dev.sqlitemetrics.core.WriteOutcome;
import dev.sqlitemetrics.core.internal.Stores;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** {@link MetricsReader} over any store: the shared SQL on the store's read dialect, failures as {@link MetricsException}. */
public final class TableReader implements MetricsReader {
    private final StoreConfig config;
    private final ReadDialect dialect;
    private final RowQueries queries;
    private volatile boolean closed;

    public TableReader(StoreConfig config, ReadDialect dialect) {
        this.config = config;
        this.dialect = dialect;
        this.queries = new RowQueries(dialect);
    }

    @Override
    public Stream<StoredCompletion> completions(CompletionFilter filter) {
        Objects.requireNonNull(filter, "filter");
        open();
        Connection connection = null;
        try {
            connection = dialect.connect();
            PreparedStatement statement = queries.rows(connection, filter, false, 0);
            ResultSet rows = statement.executeQuery();
            Connection owned = connection;
            Spliterator<StoredCompletion> spliterator = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE,
                    Spliterator.ORDERED | Spliterator.NONNULL) {
                @Override
                public boolean tryAdvance(Consumer<? super StoredCompletion> action) {
                    try {
                        if (!rows.next()) {
                            return false;
                        }
                        action.accept(queries.completion(rows));
                        return true;
                    } catch (SQLException e) {
                        throw failure("reading rows of", e);
                    }
                }
            };
            return StreamSupport.stream(spliterator, false).onClose(() -> closeQuietly(rows, statement, owned));
        } catch (SQLException e) {
            closeQuietly(connection);
            throw failure("reading rows of", e);
        }
    }

    @Override
    public List<StoredCompletion> latest(CompletionFilter filter, int limit) {
        Objects.requireNonNull(filter, "filter");
        checkLimit(limit);
        open();
        try (Connection connection = dialect.connect();
             PreparedStatement statement = queries.rows(connection, filter, true, limit)) {
            return queries.all(statement);
        } catch (SQLException e) {
            throw failure("reading the latest rows of", e);
        }
    }

    @Override
    public List<StoredCompletion> slowest(CompletionFilter filter, int limit) {
        Objects.requireNonNull(filter, "filter");
        checkLimit(limit);
        open();
        try (Connection connection = dialect.connect();
             PreparedStatement statement = queries.slowest(connection, filter, limit)) {
            return queries.all(statement);
        } catch (SQLException e) {
            throw failure("reading the slowest rows of", e);
        }
    }

    @Override
    public boolean contains(UUID id) {
        Objects.requireNonNull(id, "id");
        open();
        try (Connection connection = dialect.connect()) {
            return queries.contains(connection, id);
        } catch (SQLException e) {
            throw failure("looking up " + id + " in", e);
        }
    }

    @Override
    public List<ForwardingLag> forwarding() {
        open();
        try (Connection connection = dialect.connect()) {
            return dialect.forwarding(connection);
        } catch (SQLException e) {
            throw failure("reading the forwarding progress of", e);
        }
    }

    @Override
    public List<SummaryGroup> summarize(CompletionFilter filter, Set<GroupBy> groupBy) {
        return summary(filter, groupBy, false);
    }

    @Override
    public List<SummaryGroup> summarizeWithRolledUp(CompletionFilter filter, Set<GroupBy> groupBy) {
        return summary(filter, groupBy, true);
    }

    private List<SummaryGroup> summary(CompletionFilter filter, Set<GroupBy> groupBy, boolean rolledUp) {
        Objects.requireNonNull(filter, "filter");
        Summarizer summarizer = new Summarizer(Set.copyOf(groupBy), dialect);
        if (rolledUp) {
            summarizer.checkRolledUpFits();
        }
        open();
        try (Connection connection = rolledUp ? dialect.connectForSnapshot() : dialect.connect()) {
            try (PreparedStatement statement = queries.summaryRows(connection, filter);
                 ResultSet rows = statement.executeQuery()) {
                summarizer.addAll(rows);
            }
            if (rolledUp) {
                summarizer.addRolledUp(connection, filter);
            }
            return summarizer.groups();
        } catch (SQLException e) {
            throw failure("summarising", e);
        }
    }

    private static void checkLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("this reader of " + config.database() + " is closed");
        }
    }

    private MetricsException failure(String action, SQLException e) {
        return failure(config, action, e, "");
    }

    /** A read side's failure: nothing was written, whatever the store said. */
    static MetricsException failure(StoreConfig config, String action, SQLException e, String note) {
        Path path = Stores.file(config);
        return new MetricsException(action + " table " + config.tableName() + " of " + config.database() + " failed: "
                + Stores.scrub(config, e.getMessage()) + note, e, new MetricsException.Failure(path, config.database(),
                MetricsException.NO_RESULT_CODE, e.getSQLState(), WriteOutcome.NOT_WRITTEN, 0, Duration.ZERO, null));
    }

    private static void closeQuietly(AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            if (resource != null) {
                try {
                    resource.close();
                } catch (Exception e) {
                    // Nothing was written: a failed close loses nothing.
                }
            }
        }
    }
}
