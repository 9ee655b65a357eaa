package dev.sqlitemetrics.core.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Wraps the writer's real SQLite connection and throws, once, at one step of the write path: the
 * real statements run before and after, so the database sees exactly what a failure at that step
 * leaves behind.
 */
public final class FaultyConnection {

    /** Where the throwable is thrown. */
    public enum Step {
        /** Instead of {@code BEGIN IMMEDIATE}: nothing began. */
        BEFORE_BEGIN,
        /** Right after {@code BEGIN IMMEDIATE} took the write lock. */
        AFTER_BEGIN,
        /** After the first insert statement ran inside the transaction. */
        MID_INSERT,
        /** Instead of {@code COMMIT}: the transaction is still open. */
        AT_COMMIT,
        /** Right after {@code COMMIT} returned: the rows are durable, the caller not told yet. */
        AFTER_COMMIT
    }

    private final Step step;
    private final Supplier<? extends Throwable> failure;
    private final AtomicBoolean armed = new AtomicBoolean(true);

    public FaultyConnection(Step step, Supplier<? extends Throwable> failure) {
        this.step = step;
        this.failure = failure;
    }

    /** Whether the failure was thrown. */
    public boolean fired() {
        return !armed.get();
    }

    public Connection wrap(Connection real) {
        return proxy(Connection.class, real, (method, args) -> {
            Object result = invoke(method, real, args);
            if (result instanceof PreparedStatement prepared && String.valueOf(args[0]).startsWith("INSERT")) {
                return proxy(PreparedStatement.class, prepared, (inner, innerArgs) -> {
                    Object value = invoke(inner, prepared, innerArgs);
                    if (inner.getName().equals("executeBatch")) {
                        fireAt(Step.MID_INSERT);
                    }
                    return value;
                });
            }
            if (result instanceof Statement statement && !(result instanceof PreparedStatement)) {
                return proxy(Statement.class, statement, (inner, innerArgs) -> {
                    String sql = inner.getName().equals("execute") ? String.valueOf(innerArgs[0]) : "";
                    if (sql.equals("BEGIN IMMEDIATE")) {
                        fireAt(Step.BEFORE_BEGIN);
                    } else if (sql.equals("COMMIT")) {
                        fireAt(Step.AT_COMMIT);
                    }
                    Object value = invoke(inner, statement, innerArgs);
                    if (sql.equals("BEGIN IMMEDIATE")) {
                        fireAt(Step.AFTER_BEGIN);
                    } else if (sql.equals("COMMIT")) {
                        fireAt(Step.AFTER_COMMIT);
                    }
                    return value;
                });
            }
            return result;
        });
    }

    private void fireAt(Step reached) throws Throwable {
        if (reached == step && armed.compareAndSet(true, false)) {
            throw failure.get();
        }
    }

    private interface Call {
        Object apply(Method method, Object[] args) throws Throwable;
    }

    private static <T> T proxy(Class<T> type, T real, Call call) {
        InvocationHandler handler = (self, method, args) -> {
            if (method.getName().equals("unwrap") || method.getName().equals("isWrapperFor")) {
                return invoke(method, real, args);
            }
            return call.apply(method, args);
        };
        return type.cast(Proxy.newProxyInstance(FaultyConnection.class.getClassLoader(), new Class<?>[]{type}, handler));
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
