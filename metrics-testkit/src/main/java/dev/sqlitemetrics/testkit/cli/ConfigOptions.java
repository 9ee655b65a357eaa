package dev.sqlitemetrics.testkit.cli;

import dev.sqlitemetrics.core.JournalMode;
import dev.sqlitemetrics.core.PostgresConfig;
import dev.sqlitemetrics.core.RecorderConfig;
import dev.sqlitemetrics.core.StoreConfig;
import dev.sqlitemetrics.testkit.run.Target;
import dev.sqlitemetrics.core.Retry;
import dev.sqlitemetrics.core.Synchronous;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One command-line flag per {@link RecorderConfig} and {@link PostgresConfig} setting, named as the
 * setting in kebab case; {@code --jdbc-url} selects PostgreSQL. Unset flags keep the library's
 * defaults. {@link #toArgs(StoreConfig)} renders a config back as flags, which is how a config
 * travels to child JVMs (a password travels in the environment, never as a flag).
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

    @Option(names = "--jdbc-url", paramLabel = "URL",
            description = "Record to a PostgreSQL server instead of a SQLite file: jdbc:postgresql://host:port/database.")
    String jdbcUrl;

    @Option(names = "--user", paramLabel = "NAME", description = "With --jdbc-url: the user to connect as.")
    String user;

    @Option(names = "--password", paramLabel = "PASSWORD", arity = "0..1", interactive = true,
            description = "With --jdbc-url: the password (prompted for when given without a value; or set the environment"
                    + " variable " + Target.PASSWORD_VARIABLE + ", which keeps it off the command line).")
    char[] password;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "With --jdbc-url: how long opening one connection may take (default: 10000ms).")
    Duration connectTimeout;

    /**
     * The config these flags describe: a PostgreSQL server with {@code --jdbc-url}, otherwise the
     * SQLite file at {@code path}.
     *
     * @throws IllegalArgumentException if a SQLite file setting is given for a server
     */
    public StoreConfig toStoreConfig(Path path) {
        if (jdbcUrl == null) {
            return toConfig(path);
        }
        for (Object[] fileSetting : new Object[][] {{"--busy-timeout", busyTimeout}, {"--journal-mode", journalMode},
                {"--synchronous", synchronous}}) {
            if (fileSetting[1] != null) {
                throw new IllegalArgumentException(fileSetting[0] + " is a SQLite file setting and means nothing with"
                        + " --jdbc-url (a PostgreSQL server's durability is its synchronous_commit)");
            }
        }
        String secret = password != null ? new String(password) : System.getenv(Target.PASSWORD_VARIABLE);
        PostgresConfig.Builder builder = PostgresConfig.builder(jdbcUrl).user(user)
                .password(secret == null || secret.isEmpty() ? null : secret).retry(retry());
        if (connectTimeout != null) {
            builder.connectTimeout(connectTimeout);
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

    private Retry retry() {
        Retry defaults = Retry.defaults();
        return new Retry(
                retryMaxAttempts != null ? retryMaxAttempts : defaults.maxAttempts(),
                retryInitialBackoff != null ? retryInitialBackoff : defaults.initialBackoff(),
                retryMaxBackoff != null ? retryMaxBackoff : defaults.maxBackoff(),
                retryJitter != null ? retryJitter : defaults.jitter(),
                retryDeadline != null ? retryDeadline : defaults.deadline());
    }

    /** The config these flags describe for the database at {@code path}. */
    public RecorderConfig toConfig(Path path) {
        RecorderConfig.Builder builder = RecorderConfig.builder(path);
        builder.retry(retry());
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

    /**
     * Every setting of {@code config} except where the database is (the path; the URL, user and
     * password), as the flags above.
     */
    public static List<String> toArgs(StoreConfig config) {
        List<String> args = new ArrayList<>();
        if (config instanceof RecorderConfig sqlite) {
            add(args, "--busy-timeout", DurationConverter.format(sqlite.busyTimeout()));
            add(args, "--journal-mode", sqlite.journalMode().name());
            add(args, "--synchronous", sqlite.synchronous().name());
        } else {
            add(args, "--connect-timeout", DurationConverter.format(((PostgresConfig) config).connectTimeout()));
        }
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
