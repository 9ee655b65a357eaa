package dev.sqlitemetrics.testkit.internal.cli;

import dev.sqlitemetrics.core.ConfigProperties;
import dev.sqlitemetrics.core.Durations;
import dev.sqlitemetrics.core.JournalMode;
import dev.sqlitemetrics.core.PostgresConfig;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.core.StoreConfig;
import dev.sqlitemetrics.core.Synchronous;
import dev.sqlitemetrics.testkit.internal.run.Target;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One command-line flag per {@link SqliteConfig} and {@link PostgresConfig} setting, named as the
 * setting in kebab case (the keys of {@link ConfigProperties}); {@code --jdbc-url} selects PostgreSQL. Unset flags keep the library's
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

    @Option(names = "--shared-commits", paramLabel = "BOOLEAN", arity = "1",
            description = "Whether recorders of different processes on one host share transactions (default: false).")
    Boolean sharedCommits;

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

    /** Whether {@code --jdbc-url} names a server (else the config is a SQLite file's). */
    public boolean namesAServer() {
        return jdbcUrl != null;
    }

    /**
     * The config these flags describe: a PostgreSQL server with {@code --jdbc-url}, otherwise the
     * SQLite file at {@code path}. Read by the library's own parser of these names
     * ({@link ConfigProperties}), so flags, properties and environment variables mean the same.
     *
     * @throws IllegalArgumentException if a SQLite file setting is given for a server, or a value is out of range
     */
    public StoreConfig toStoreConfig(Path path) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (jdbcUrl == null) {
            settings.put("db", path.toString());
        } else {
            settings.put("jdbc-url", jdbcUrl);
            String secret = password != null ? new String(password) : System.getenv(Target.PASSWORD_VARIABLE);
            put(settings, "user", user);
            put(settings, "password", secret);
        }
        put(settings, "busy-timeout", busyTimeout);
        put(settings, "journal-mode", journalMode);
        put(settings, "synchronous", synchronous);
        put(settings, "connect-timeout", connectTimeout);
        put(settings, "retry-max-attempts", retryMaxAttempts);
        put(settings, "retry-initial-backoff", retryInitialBackoff);
        put(settings, "retry-max-backoff", retryMaxBackoff);
        put(settings, "retry-jitter", retryJitter);
        put(settings, "retry-deadline", retryDeadline);
        put(settings, "pool-size", poolSize);
        put(settings, "table-name", tableName);
        put(settings, "max-message-bytes", maxMessageBytes);
        put(settings, "max-batch-size", maxBatchSize);
        put(settings, "queue-capacity", queueCapacity);
        put(settings, "shared-commits", sharedCommits);
        try {
            return ConfigProperties.fromProperties(settings);
        } catch (IllegalArgumentException e) {
            // The parser names keys; here they are flags.
            throw new IllegalArgumentException(e.getMessage().replaceAll("\\b(" + String.join("|", ConfigProperties.KEYS)
                    + ")\\b(?=[ :])", "--$1"), e);
        }
    }

    private static void put(Map<String, String> settings, String key, Object value) {
        if (value instanceof Duration duration) {
            settings.put(key, Durations.format(duration));
        } else if (value != null && !(value instanceof String text && text.isEmpty())) {
            settings.put(key, value.toString());
        }
    }

    /** The config these flags describe for the SQLite database at {@code path}. */
    public SqliteConfig toConfig(Path path) {
        if (jdbcUrl != null) {
            throw new IllegalArgumentException("--jdbc-url names a server, not a SQLite file");
        }
        return (SqliteConfig) toStoreConfig(path);
    }

    /**
     * Every setting of {@code config} except where the database is (the path; the URL, user and
     * password), as the flags above.
     */
    public static List<String> toArgs(StoreConfig config) {
        List<String> args = new ArrayList<>();
        ConfigProperties.toProperties(config).forEach((key, value) -> {
            if (!Set.of("db", "jdbc-url", "user", "password").contains(key)) {
                args.add("--" + key);
                args.add(value);
            }
        });
        return args;
    }
}
