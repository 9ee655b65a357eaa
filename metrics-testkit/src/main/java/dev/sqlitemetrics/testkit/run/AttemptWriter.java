package dev.sqlitemetrics.testkit.run;

import dev.sqlitemetrics.core.Completion;
import dev.sqlitemetrics.core.MetricsException;
import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.Outcome;
import dev.sqlitemetrics.core.RecordIds;
import dev.sqlitemetrics.core.RecorderConfig;
import dev.sqlitemetrics.testkit.WriterKind;
import org.sqlite.SQLiteException;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;

/**
 * Makes one write and reports it as an {@link Attempt}; failures of the writer under test are data,
 * never exceptions. Thread-safe. Internal: not part of the API.
 */
public abstract class AttemptWriter implements AutoCloseable {
    /** The task of every record the recorder writer makes. */
    static final String TASK = "contention";

    /** Writes one record with {@code msg}. */
    public abstract Attempt write(String msg);

    @Override
    public abstract void close();

    /** The writer of {@code kind} on the configured database; recorders are opened by {@code opener}. */
    public static AttemptWriter of(WriterKind kind, RecorderConfig config, Duration naiveBusyTimeout,
                                   Function<RecorderConfig, MetricsRecorder> opener) {
        return kind == WriterKind.RECORDER ? new Recording(opener.apply(config)) : new Naive(config, naiveBusyTimeout);
    }


    /** The recorder: one per JVM, shared by its writer threads, as the library is meant to be used. */
    private static final class Recording extends AttemptWriter {
        private final MetricsRecorder recorder;

        Recording(MetricsRecorder recorder) {
            this.recorder = recorder;
        }

        /** Records with an id of its own, so that every outcome, even an unexpected exception, names its record. */
        @Override
        public Attempt write(String msg) {
            UUID id = RecordIds.next();
            Completion completion = Completion.builder(TASK, Outcome.SUCCEEDED).id(id).message(msg).build();
            String content = RecordContent.hash(msg, TASK, Outcome.SUCCEEDED.name());
            long start = System.nanoTime();
            Attempt.Status status;
            String code;
            try {
                recorder.record(completion);
                status = Attempt.Status.OK;
                code = null;
            } catch (MetricsException e) {
                status = e.isDefinitelyNotWritten() ? Attempt.Status.NOT_WRITTEN : Attempt.Status.UNKNOWN;
                code = ResultCodes.name(e.resultCode());
            } catch (RuntimeException e) {
                // Whatever else the recorder under test throws is a finding about it (not the library's
                // type: its outcome cannot be known), never a harness failure.
                status = Attempt.Status.UNKNOWN;
                code = Attempt.FOREIGN + e.getClass().getSimpleName();
            }
            long end = System.nanoTime();
            return new Attempt(id.toString(), status, code, end - start, end, content);
        }

        @Override
        public void close() {
            recorder.close();
        }
    }

    /** The classic experiment's insert_row: a fresh connection per record, one autocommit INSERT, no retry. */
    private static final class Naive extends AttemptWriter {
        private final String url;
        private final Properties properties = new Properties();
        private final String insert;

        Naive(RecorderConfig config, Duration busyTimeout) {
            this.url = "jdbc:sqlite:" + config.path();
            properties.setProperty("busy_timeout", String.valueOf(busyTimeout.toMillis()));
            this.insert = "INSERT INTO \"" + config.tableName() + "\" (id, msg) VALUES (?, ?)";
        }

        @Override
        public Attempt write(String msg) {
            UUID id = RecordIds.next();
            String content = RecordContent.hash(msg, null, null);
            long start = System.nanoTime();
            Attempt.Status status = Attempt.Status.OK;
            String code = null;
            try (Connection connection = DriverManager.getConnection(url, properties);
                 PreparedStatement statement = connection.prepareStatement(insert)) {
                statement.setString(1, id.toString());
                statement.setString(2, msg);
                statement.executeUpdate();
            } catch (SQLException e) {
                code = e instanceof SQLiteException sqlite ? sqlite.getResultCode().name() : ResultCodes.name(e.getErrorCode());
                // A single autocommit INSERT refused for a lock did not write; any other failure may have.
                status = code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")
                        ? Attempt.Status.NOT_WRITTEN : Attempt.Status.UNKNOWN;
            }
            long end = System.nanoTime();
            return new Attempt(id.toString(), status, code, end - start, end, content);
        }

        @Override
        public void close() {
            // Nothing is kept open between records.
        }
    }
}
