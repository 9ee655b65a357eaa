package dev.sqlitemetrics.testkit;

import dev.sqlitemetrics.core.Completion;
import dev.sqlitemetrics.core.MetricsException;
import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.RecordIds;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.core.StoreConfig;
import dev.sqlitemetrics.core.WriteOutcome;
import dev.sqlitemetrics.testkit.internal.run.Target;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The part of the misbehaving-recorder catalogue that breaks the promise in the write methods other
 * than {@code recordCompletion}, or in the fields beyond message, task and outcome: each is honest
 * everywhere else, as a user's own wrapper around the library would be. Each is a {@link RecorderFactory}
 * with a public no-argument constructor, so child JVMs run it too.
 */
public final class MisbehavingCalls {
    private MisbehavingCalls() {
    }

    /** Every call goes to the library's real recorder; a misbehaviour overrides one method. */
    abstract static class Forwarding implements MetricsRecorder {
        final MetricsRecorder real;
        final StoreConfig config;

        Forwarding(StoreConfig config) {
            this.config = config;
            this.real = MetricsRecorder.open(config);
        }

        @Override
        public UUID record(String msg) {
            return real.record(msg);
        }

        @Override
        public UUID recordCompletion(Completion completion) {
            return real.recordCompletion(completion);
        }

        @Override
        public CompletableFuture<UUID> recordAsync(String msg) {
            return real.recordAsync(msg);
        }

        @Override
        public CompletableFuture<UUID> recordCompletionAsync(Completion completion) {
            return real.recordCompletionAsync(completion);
        }

        @Override
        public long count() {
            return real.count();
        }

        @Override
        public StoreConfig config() {
            return config;
        }

        @Override
        public void close() {
            real.close();
        }

        /** Runs {@code sql} with {@code id} bound, on a connection of its own, as another client would. */
        void update(String sql, String id) {
            boolean sqlite = config instanceof SqliteConfig;
            try (Connection connection = Target.of(config).connect();
                 PreparedStatement update = connection.prepareStatement(sql.replace("?", sqlite ? "?" : "CAST(? AS uuid)"))) {
                if (sqlite) {
                    try (Statement pragma = connection.createStatement()) {
                        pragma.execute("PRAGMA busy_timeout = 30000");
                    }
                }
                update.setString(1, id);
                update.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Inserts a plain message with {@code id}, as another client would. */
        void insertPlain(String id, String msg) {
            boolean sqlite = config instanceof SqliteConfig;
            try (Connection connection = Target.of(config).connect();
                 PreparedStatement insert = connection.prepareStatement("INSERT INTO \"" + config.tableName()
                         + "\" (id, msg) VALUES (" + (sqlite ? "?" : "CAST(? AS uuid)") + ", ?)")) {
                if (sqlite) {
                    try (Statement pragma = connection.createStatement()) {
                        pragma.execute("PRAGMA busy_timeout = 30000");
                    }
                }
                insert.setString(1, id);
                insert.setString(2, msg);
                insert.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        String table() {
            return "\"" + config.tableName() + "\"";
        }
    }

    /** {@code record(String)} acknowledges one call in ten without writing it. */
    public static final class PlainRecordLosesOneInTen implements RecorderFactory {
        @Override
        public MetricsRecorder open(StoreConfig config) {
            AtomicInteger calls = new AtomicInteger();
            return new Forwarding(config) {
                @Override
                public UUID record(String msg) {
                    return calls.incrementAndGet() % 10 == 0 ? RecordIds.next() : real.record(msg);
                }
            };
        }
    }

    /** {@code record(String)} writes the message but returns another id than the one it stored. */
    public static final class PlainRecordReturnsAnotherId implements RecorderFactory {
        @Override
        public MetricsRecorder open(StoreConfig config) {
            return new Forwarding(config) {
                @Override
                public UUID record(String msg) {
                    real.record(msg);
                    return RecordIds.next();
                }
            };
        }
    }

    /**
     * The async forms complete their future at once; the row is written 20 ms later, and
     * {@code close()} waits for it.
     */
    public static final class AsyncAcknowledgesBeforeCommit implements RecorderFactory {
        @Override
        public MetricsRecorder open(StoreConfig config) {
            ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
            return new Forwarding(config) {
                @Override
                public CompletableFuture<UUID> recordAsync(String msg) {
                    UUID id = RecordIds.next();
                    later.schedule(() -> insertPlain(id.toString(), msg), 20, TimeUnit.MILLISECONDS);
                    return CompletableFuture.completedFuture(id);
                }

                @Override
                public CompletableFuture<UUID> recordCompletionAsync(Completion completion) {
                    later.schedule(() -> real.recordCompletion(completion), 20, TimeUnit.MILLISECONDS);
                    return CompletableFuture.completedFuture(completion.id());
                }

                @Override
                public void close() {
                    later.shutdown();
                    try {
                        later.awaitTermination(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    real.close();
                }
            };
        }
    }

    /** The async forms report "not written" at once, and write the record 20 ms later all the same. */
    public static final class AsyncReportsNotWrittenButWritesLater implements RecorderFactory {
        @Override
        public MetricsRecorder open(StoreConfig config) {
            ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
            return new Forwarding(config) {
                @Override
                public CompletableFuture<UUID> recordCompletionAsync(Completion completion) {
                    later.schedule(() -> real.recordCompletion(completion), 20, TimeUnit.MILLISECONDS);
                    return CompletableFuture.failedFuture(new MetricsException("not written (a lie)", null,
                            new MetricsException.Failure(null, config.database(), 5, null, WriteOutcome.NOT_WRITTEN, 1,
                                    java.time.Duration.ZERO, completion.id())));
                }

                @Override
                public void close() {
                    later.shutdown();
                    try {
                        later.awaitTermination(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    real.close();
                }
            };
        }
    }

    /** Moves every row's time a year into the past after writing it. */
    public static final class BackdatesEveryRow implements RecorderFactory {
        @Override
        public MetricsRecorder open(StoreConfig config) {
            boolean sqlite = config instanceof SqliteConfig;
            return new TimeShifter(config, sqlite ? "strftime('%Y-%m-%d %H:%M:%f', ts, '-1 year')" : "ts - interval '1 year'");
        }
    }

    /** Keeps whole seconds of every row's time, as a recorder that stored {@code datetime('now')} would. */
    public static final class TruncatesTimeToSeconds implements RecorderFactory {
        @Override
        public MetricsRecorder open(StoreConfig config) {
            boolean sqlite = config instanceof SqliteConfig;
            return new TimeShifter(config, sqlite ? "strftime('%Y-%m-%d %H:%M:%S', ts)" : "date_trunc('second', ts)");
        }
    }

    /** Records honestly, then sets each row's {@code ts} to an expression of itself. */
    private static final class TimeShifter extends Forwarding {
        private final String expression;

        TimeShifter(StoreConfig config, String expression) {
            super(config);
            this.expression = expression;
        }

        private UUID shifted(UUID id) {
            update("UPDATE " + table() + " SET ts = " + expression + " WHERE id = ?", id.toString());
            return id;
        }

        @Override
        public UUID record(String msg) {
            return shifted(real.record(msg));
        }

        @Override
        public UUID recordCompletion(Completion completion) {
            return shifted(real.recordCompletion(completion));
        }

        @Override
        public CompletableFuture<UUID> recordAsync(String msg) {
            return CompletableFuture.completedFuture(record(msg));
        }

        @Override
        public CompletableFuture<UUID> recordCompletionAsync(Completion completion) {
            return CompletableFuture.completedFuture(recordCompletion(completion));
        }
    }

    /** Keeps the first 8 characters of every message, in every call form. */
    public static final class TruncatesMessages implements RecorderFactory {
        @Override
        public MetricsRecorder open(StoreConfig config) {
            return new Forwarding(config) {
                private String cut(String msg) {
                    return msg.length() > 8 ? msg.substring(0, 8) : msg;
                }

                private Completion cut(Completion completion) {
                    return new Completion(completion.id(), completion.task(), completion.outcome(), completion.duration(),
                            completion.attributes(), cut(completion.message()), completion.endedAt());
                }

                @Override
                public UUID record(String msg) {
                    return real.record(cut(msg));
                }

                @Override
                public UUID recordCompletion(Completion completion) {
                    return real.recordCompletion(cut(completion));
                }

                @Override
                public CompletableFuture<UUID> recordAsync(String msg) {
                    return real.recordAsync(cut(msg));
                }

                @Override
                public CompletableFuture<UUID> recordCompletionAsync(Completion completion) {
                    return real.recordCompletionAsync(cut(completion));
                }
            };
        }
    }

    /** Drops the duration and the attributes of every completion. */
    public static final class DropsDurationAndAttributes implements RecorderFactory {
        @Override
        public MetricsRecorder open(StoreConfig config) {
            return new Forwarding(config) {
                private Completion bare(Completion completion) {
                    return new Completion(completion.id(), completion.task(), completion.outcome(), null, Map.of(),
                            completion.message(), completion.endedAt());
                }

                @Override
                public UUID recordCompletion(Completion completion) {
                    return real.recordCompletion(bare(completion));
                }

                @Override
                public CompletableFuture<UUID> recordCompletionAsync(Completion completion) {
                    return real.recordCompletionAsync(bare(completion));
                }
            };
        }
    }

    /** Stores every duration in seconds where milliseconds are expected. */
    public static final class StoresDurationInSeconds implements RecorderFactory {
        @Override
        public MetricsRecorder open(StoreConfig config) {
            return new Forwarding(config) {
                private Completion inSeconds(Completion completion) {
                    return new Completion(completion.id(), completion.task(), completion.outcome(),
                            completion.duration() == null ? null : completion.duration().dividedBy(1000),
                            completion.attributes(), completion.message(), completion.endedAt());
                }

                @Override
                public UUID recordCompletion(Completion completion) {
                    return real.recordCompletion(inSeconds(completion));
                }

                @Override
                public CompletableFuture<UUID> recordCompletionAsync(Completion completion) {
                    return real.recordCompletionAsync(inSeconds(completion));
                }
            };
        }
    }
}
