package dev.sqlitemetrics.testkit;

import dev.sqlitemetrics.core.Completion;
import dev.sqlitemetrics.core.FakeFailures;
import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.Outcome;
import dev.sqlitemetrics.core.RecordIds;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.core.StoreConfig;
import dev.sqlitemetrics.testkit.internal.run.Target;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A catalogue of recorders that break the promise in one way each, to show that the testkit's
 * verdict cannot be fooled. Each is a {@link RecorderFactory} with a public no-argument constructor,
 * so that child JVMs and kill campaigns run it too. They wrap the library's real recorder and
 * misbehave around it.
 */
public final class MisbehavingRecorders {
    private MisbehavingRecorders() {
    }

    /** The real recorder behind a fake, with the plain and async forms routed through {@link #recordCompletion(Completion)}. */
    abstract static class Wrapper implements MetricsRecorder {
        final MetricsRecorder real;
        final StoreConfig config;
        final AtomicInteger calls = new AtomicInteger();

        Wrapper(StoreConfig config) {
            this(config, MetricsRecorder.open(config));
        }

        Wrapper(StoreConfig config, MetricsRecorder real) {
            this.config = config;
            this.real = real;
        }

        @Override
        public UUID record(String msg) {
            return recordCompletion(Completion.builder("fake", Outcome.SUCCEEDED).message(msg).build());
        }

        @Override
        public CompletableFuture<UUID> recordAsync(String msg) {
            return CompletableFuture.completedFuture(record(msg));
        }

        @Override
        public CompletableFuture<UUID> recordCompletionAsync(Completion completion) {
            return CompletableFuture.completedFuture(recordCompletion(completion));
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

        /** Inserts a row beside the recorder, as another client would: {@code id} may be null. */
        void insertRaw(String id, String msg, String task, String outcome) {
            String idValue = config instanceof SqliteConfig ? "?" : "CAST(? AS uuid)";
            try (Connection connection = Target.of(config).connect();
                 PreparedStatement insert = connection.prepareStatement("INSERT INTO \"" + config.tableName()
                         + "\" (id, msg, task, outcome) VALUES (" + idValue + ", ?, ?, ?)")) {
                if (config instanceof SqliteConfig) {
                    try (Statement pragma = connection.createStatement()) {
                        pragma.execute("PRAGMA busy_timeout = 30000");
                    }
                }
                insert.setString(1, id);
                insert.setString(2, msg);
                insert.setString(3, task);
                insert.setString(4, outcome);
                insert.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The library's recorder as it is: passes everything. */
    public static final class Honest implements RecorderFactory {
        @Override
        public MetricsRecorder open(StoreConfig storeConfig) {
            StoreConfig config = storeConfig;
            return MetricsRecorder.open(config);
        }
    }

    /** Writes every record to another file beside the one under test. */
    public static final class WritesElsewhere implements RecorderFactory {
        @Override
        public MetricsRecorder open(StoreConfig storeConfig) {
            StoreConfig config = storeConfig;
            Path folder = config instanceof SqliteConfig sqlite ? sqlite.path().getParent() : null;
            StoreConfig other = Target.of(config).named(folder, "elsewhere").config();
            return new Wrapper(config, MetricsRecorder.open(other)) {
                @Override
                public UUID recordCompletion(Completion completion) {
                    return real.recordCompletion(completion);
                }
            };
        }
    }

    /** Acknowledges at once and writes everything in {@code close()}. */
    public static final class FlushesInClose implements RecorderFactory {
        @Override
        public MetricsRecorder open(StoreConfig storeConfig) {
            StoreConfig config = storeConfig;
            List<Completion> buffered = new CopyOnWriteArrayList<>();
            return new Wrapper(config) {
                @Override
                public UUID recordCompletion(Completion completion) {
                    buffered.add(completion);
                    return completion.id();
                }

                @Override
                public void close() {
                    buffered.forEach(real::recordCompletion);
                    real.close();
                }
            };
        }
    }

    /** Writes every record, and a second copy of it without an id. */
    public static final class AnonymousCopies implements RecorderFactory {
        @Override
        public MetricsRecorder open(StoreConfig storeConfig) {
            StoreConfig config = storeConfig;
            return new Wrapper(config) {
                @Override
                public UUID recordCompletion(Completion completion) {
                    UUID id = real.recordCompletion(completion);
                    insertRaw(null, completion.message(), null, null);
                    return id;
                }
            };
        }
    }

    /** Writes every record, and invents a row without an id beside it. */
    public static final class InventsRows implements RecorderFactory {
        @Override
        public MetricsRecorder open(StoreConfig storeConfig) {
            StoreConfig config = storeConfig;
            return new Wrapper(config) {
                @Override
                public UUID recordCompletion(Completion completion) {
                    UUID id = real.recordCompletion(completion);
                    if (calls.getAndIncrement() % 10 == 0) {
                        insertRaw(null, "invented", null, null);
                    }
                    return id;
                }
            };
        }
    }

    /** Deletes the rows other clients wrote (those without an id) when it opens, then records honestly. */
    public static final class DeletesForeignRows implements RecorderFactory {
        @Override
        public MetricsRecorder open(StoreConfig storeConfig) {
            StoreConfig config = storeConfig;
            MetricsRecorder real = MetricsRecorder.open(config);
            try (Connection connection = Target.of(config).connect();
                 Statement statement = connection.createStatement()) {
                statement.execute("DELETE FROM \"" + config.tableName() + "\" WHERE id IS NULL");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return new Wrapper(config, real) {
                @Override
                public UUID recordCompletion(Completion completion) {
                    return real.recordCompletion(completion);
                }
            };
        }
    }

    /** Stores the right id with the message {@code "x"}. */
    public static final class AltersText implements RecorderFactory {
        @Override
        public MetricsRecorder open(StoreConfig storeConfig) {
            StoreConfig config = storeConfig;
            return new Wrapper(config) {
                @Override
                public UUID recordCompletion(Completion completion) {
                    return real.recordCompletion(Completion.builder(completion.task(), completion.outcome()).id(completion.id())
                            .message("x").build());
                }
            };
        }
    }

    /** Writes every record, and a copy whose id differs only in spelling (upper case). */
    public static final class UpperCaseCopies implements RecorderFactory {
        @Override
        public MetricsRecorder open(StoreConfig storeConfig) {
            StoreConfig config = storeConfig;
            return new Wrapper(config) {
                @Override
                public UUID recordCompletion(Completion completion) {
                    UUID id = real.recordCompletion(completion);
                    insertRaw(id.toString().toUpperCase(Locale.ROOT), completion.message(), completion.task(),
                            completion.outcome().name());
                    return id;
                }
            };
        }
    }

    /**
     * Acknowledges without writing, then, a moment later, prints a ledger line saying the record was
     * not written: an account that answers one call twice.
     */
    public static final class OkThenFail implements RecorderFactory {
        @Override
        public MetricsRecorder open(StoreConfig storeConfig) {
            StoreConfig config = storeConfig;
            return new Wrapper(config) {
                @Override
                public UUID recordCompletion(Completion completion) {
                    Thread late = new Thread(() -> {
                        sleep(20);
                        System.out.println("L FAIL " + completion.id() + " SQLITE_BUSY");
                        System.out.flush();
                    });
                    late.setDaemon(true);
                    late.start();
                    return completion.id();
                }
            };
        }
    }

    /** Writes nothing and answers "outcome unknown" to every call. */
    public static final class UnknownToEverything implements RecorderFactory {
        @Override
        public MetricsRecorder open(StoreConfig storeConfig) {
            StoreConfig config = storeConfig;
            return new Wrapper(config) {
                @Override
                public UUID recordCompletion(Completion completion) {
                    throw FakeFailures.unknown(config, completion.id());
                }
            };
        }
    }

    /** Writes every record, then reports it definitely not written. */
    public static final class NotWrittenButWrites implements RecorderFactory {
        @Override
        public MetricsRecorder open(StoreConfig storeConfig) {
            StoreConfig config = storeConfig;
            return new Wrapper(config) {
                @Override
                public UUID recordCompletion(Completion completion) {
                    real.recordCompletion(completion);
                    throw FakeFailures.notWritten(config, completion.id());
                }
            };
        }
    }

    /** Acknowledges one call in a hundred without writing it. */
    public static final class LosesOneInHundred implements RecorderFactory {
        @Override
        public MetricsRecorder open(StoreConfig storeConfig) {
            StoreConfig config = storeConfig;
            return new Wrapper(config) {
                @Override
                public UUID recordCompletion(Completion completion) {
                    return calls.incrementAndGet() % 100 == 0 ? completion.id() : real.recordCompletion(completion);
                }
            };
        }
    }

    /** Commits each thread's records one call late, so each writer's last record is never written. */
    public static final class LosesEachWritersLast implements RecorderFactory {
        @Override
        public MetricsRecorder open(StoreConfig storeConfig) {
            StoreConfig config = storeConfig;
            ThreadLocal<Completion> pending = new ThreadLocal<>();
            return new Wrapper(config) {
                @Override
                public UUID recordCompletion(Completion completion) {
                    Completion previous = pending.get();
                    if (previous != null) {
                        real.recordCompletion(previous);
                    }
                    pending.set(completion);
                    return completion.id();
                }
            };
        }
    }

    /** Writes every record twice: once with its id, once with a new one. */
    public static final class DuplicatesWithNewId implements RecorderFactory {
        @Override
        public MetricsRecorder open(StoreConfig storeConfig) {
            StoreConfig config = storeConfig;
            return new Wrapper(config) {
                @Override
                public UUID recordCompletion(Completion completion) {
                    UUID id = real.recordCompletion(completion);
                    real.recordCompletion(Completion.builder(completion.task(), completion.outcome()).id(RecordIds.next())
                            .message(completion.message()).build());
                    return id;
                }
            };
        }
    }

    /** Records honestly, but sleeps 2 s in one call of a hundred. */
    public static final class SleepsInOnePercent implements RecorderFactory {
        @Override
        public MetricsRecorder open(StoreConfig storeConfig) {
            StoreConfig config = storeConfig;
            return new Wrapper(config) {
                @Override
                public UUID recordCompletion(Completion completion) {
                    if (calls.incrementAndGet() % 100 == 50) {
                        sleep(2_000);
                    }
                    return real.recordCompletion(completion);
                }
            };
        }
    }

    /** Its third call never returns, whatever interrupts it. */
    public static final class NeverReturns implements RecorderFactory {
        @Override
        public MetricsRecorder open(StoreConfig storeConfig) {
            StoreConfig config = storeConfig;
            return new Wrapper(config) {
                @Override
                public UUID recordCompletion(Completion completion) {
                    if (calls.incrementAndGet() == 3) {
                        while (true) {
                            sleep(60_000);
                        }
                    }
                    return real.recordCompletion(completion);
                }
            };
        }
    }

    private static void sleep(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (long left = millis; left > 0; left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())) {
            try {
                Thread.sleep(left);
            } catch (InterruptedException e) {
                // Misbehaving on purpose: the sleep goes on.
            }
        }
    }
}
