package dev.sqlitemetrics.testkit.cli;

import dev.sqlitemetrics.core.JournalMode;
import dev.sqlitemetrics.core.RecorderConfig;
import dev.sqlitemetrics.core.Retry;
import dev.sqlitemetrics.core.Synchronous;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One command-line flag per {@link RecorderConfig} setting, named as the setting in kebab case.
 * Unset flags keep the library's defaults. {@link #toArgs(RecorderConfig)} renders a config back
 * as flags, which is how a config travels to child JVMs.
 */
public final class ConfigOptions {
    @Option(names = "--busy-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long one attempt waits inside SQLite for the write lock (default: 5000ms).")
    Duration busyTimeout;

    @Option(names = "--journal-mode", paramLabel = "MODE", description = "WAL, DELETE, TRUNCATE or PERSIST (default: WAL).")
    JournalMode journalMode;

    @Option(names = "--synchronous", paramLabel = "LEVEL", description = "OFF, NORMAL, FULL or EXTRA (default: FULL).")
    Synchronous synchronous;

    @Option(names = "--retry-max-attempts", paramLabel = "N", description = "Attempts per batch in all (default: 1000).")
    Integer retryMaxAttempts;

    @Option(names = "--retry-initial-backoff", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Wait before the second attempt (default: 5ms).")
    Duration retryInitialBackoff;

    @Option(names = "--retry-max-backoff", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Longest wait between attempts (default: 250ms).")
    Duration retryMaxBackoff;

    @Option(names = "--retry-jitter", paramLabel = "FRACTION", description = "Random fraction of each wait, [0, 1) (default: 0.5).")
    Double retryJitter;

    @Option(names = "--retry-deadline", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Total time budget of one batch (default: 60000ms).")
    Duration retryDeadline;

    @Option(names = "--pool-size", paramLabel = "N", description = "Pooled connections (default: 2).")
    Integer poolSize;

    @Option(names = "--table-name", paramLabel = "NAME", description = "Table that receives records (default: messages).")
    String tableName;

    @Option(names = "--max-message-bytes", paramLabel = "N", description = "Largest UTF-8 payload of a record (default: 65536).")
    Integer maxMessageBytes;

    @Option(names = "--max-batch-size", paramLabel = "N", description = "Most records per transaction (default: 1000).")
    Integer maxBatchSize;

    @Option(names = "--queue-capacity", paramLabel = "N", description = "Records waiting before callers block (default: 100000).")
    Integer queueCapacity;

    /** The config these flags describe for the database at {@code path}. */
    public RecorderConfig toConfig(Path path) {
        RecorderConfig.Builder builder = RecorderConfig.builder(path);
        Retry defaults = Retry.defaults();
        builder.retry(new Retry(
                retryMaxAttempts != null ? retryMaxAttempts : defaults.maxAttempts(),
                retryInitialBackoff != null ? retryInitialBackoff : defaults.initialBackoff(),
                retryMaxBackoff != null ? retryMaxBackoff : defaults.maxBackoff(),
                retryJitter != null ? retryJitter : defaults.jitter(),
                retryDeadline != null ? retryDeadline : defaults.deadline()));
        if (busyTimeout != null) {
            builder.busyTimeout(busyTimeout);
        }
        if (journalMode != null) {
            builder.journalMode(journalMode);
        }
        if (synchronous != null) {
            builder.synchronous(synchronous);
        }
        if (poolSize != null) {
            builder.poolSize(poolSize);
        }
        if (tableName != null) {
            builder.tableName(tableName);
        }
        if (maxMessageBytes != null) {
            builder.maxMessageBytes(maxMessageBytes);
        }
        if (maxBatchSize != null) {
            builder.maxBatchSize(maxBatchSize);
        }
        if (queueCapacity != null) {
            builder.queueCapacity(queueCapacity);
        }
        return builder.build();
    }

    /** Every setting of {@code config} except the path, as the flags above. */
    public static List<String> toArgs(RecorderConfig config) {
        List<String> args = new ArrayList<>();
        add(args, "--busy-timeout", DurationConverter.format(config.busyTimeout()));
        add(args, "--journal-mode", config.journalMode().name());
        add(args, "--synchronous", config.synchronous().name());
        add(args, "--retry-max-attempts", String.valueOf(config.retry().maxAttempts()));
        add(args, "--retry-initial-backoff", DurationConverter.format(config.retry().initialBackoff()));
        add(args, "--retry-max-backoff", DurationConverter.format(config.retry().maxBackoff()));
        add(args, "--retry-jitter", String.valueOf(config.retry().jitter()));
        add(args, "--retry-deadline", DurationConverter.format(config.retry().deadline()));
        add(args, "--pool-size", String.valueOf(config.poolSize()));
        add(args, "--table-name", config.tableName());
        add(args, "--max-message-bytes", String.valueOf(config.maxMessageBytes()));
        add(args, "--max-batch-size", String.valueOf(config.maxBatchSize()));
        add(args, "--queue-capacity", String.valueOf(config.queueCapacity()));
        return args;
    }

    private static void add(List<String> args, String flag, String value) {
        args.add(flag);
        args.add(value);
    }
}
