package dev.sqlitemetrics.core.internal.read;

import dev.sqlitemetrics.core.CompletionFilter;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A WHERE clause built condition by condition, with its values bound in order: timestamps as the store keeps them, text as text. */
final class WhereClause {
    private final StringBuilder sql = new StringBuilder(" WHERE 1 = 1");
    private final List<Object> values = new ArrayList<>();

    /** Adds {@code condition} (with one {@code ?} for {@code value}). */
    WhereClause and(String condition, Object value) {
        sql.append(" AND ").append(condition);
        values.add(value);
        return this;
    }

    /** Adds {@code condition}, which takes no value. */
    WhereClause and(String condition) {
        sql.append(" AND ").append(condition);
        return this;
    }

    /** Adds the filter's task and outcome, where set. */
    WhereClause taskAndOutcome(CompletionFilter filter) {
        if (filter.task() != null) {
            and("task = ?", filter.task());
        }
        if (filter.outcome() != null) {
            and("outcome = ?", filter.outcome());
        }
        return this;
    }

    String sql() {
        return sql.toString();
    }

    /** Binds the values from the first parameter on. */
    void bind(PreparedStatement statement, ReadDialect dialect) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) instanceof Instant time) {
                dialect.bindTime(statement, i + 1, time);
            } else {
                statement.setString(i + 1, (String) values.get(i));
            }
        }
    }
}
