package dev.sqlitemetrics.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * A recorder's configuration from properties or environment variables, for Spring, Quarkus and
 * twelve-factor applications. The keys are those of {@link Setting}, the same as the command lines'
 * flags:
 *
 * <pre>
 * db=/var/lib/app/metrics.db          (a SQLite file; or jdbc-url=jdbc:postgresql://host:5432/db)
 * busy-timeout=5s                      journal-mode=WAL             synchronous=FULL
 * retry-deadline=60s                   retry-max-attempts=1000      retry-initial-backoff=5ms
 * retry-max-backoff=250ms              retry-jitter=0.5             pool-size=2
 * table-name=messages                  max-message-bytes=65536      max-batch-size=1000
 * queue-capacity=100000                shared-commits=false
 * user=metrics                         password=...                 connect-timeout=10s
 * </pre>
 *
 * Durations as {@link Durations#parse} reads them; unset keys keep the defaults. With a prefix
 * ({@code sqlite-metrics.}) only keys that start with it are read; in the environment, the prefix
 * {@code SQLITE_METRICS_} and upper snake case ({@code SQLITE_METRICS_BUSY_TIMEOUT=5s}). A key this
 * class does not know is refused with the nearest one it does, since a misspelt setting silently
 * left at its default is the bug configuration files are known for.
 */
public final class ConfigProperties {
    /** The prefix of the environment variables {@link #fromEnvironment()} reads. */
    public static final String ENVIRONMENT_PREFIX = "SQLITE_METRICS_";

    /** Every key, in the order of {@link Setting}. */
    public static final Set<String> KEYS = keys();
    private static final Set<String> FILE_ONLY = keysOf(Setting.Store.SQLITE);
    private static final Set<String> SERVER_ONLY = keysOf(Setting.Store.POSTGRES);

    private static Set<String> keys() {
        Set<String> keys = new java.util.LinkedHashSet<>();
        for (Setting setting : Setting.values()) {
            keys.add(setting.key());
        }
        return java.util.Collections.unmodifiableSet(keys);
    }

    private static Set<String> keysOf(Setting.Store store) {
        return java.util.Arrays.stream(Setting.values()).filter(setting -> setting.store() == store)
                .map(Setting::key).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    private ConfigProperties() {
    }

    /**
     * The configuration {@code properties} describe: a SQLite file with {@code db}, a PostgreSQL
     * server with {@code jdbc-url}.
     *
     * @throws IllegalArgumentException naming the key, for an unknown key, a value that does not
     *                                  parse or is out of range, or neither or both of {@code db} and {@code jdbc-url}
     */
    public static StoreConfig fromProperties(Map<String, String> properties) {
        return fromProperties(properties, "");
    }

    /** The same, reading only the keys that start with {@code prefix} (e.g. {@code sqlite-metrics.}). */
    public static StoreConfig fromProperties(Map<String, String> properties, String prefix) {
        Map<String, String> settings = new LinkedHashMap<>();
        properties.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                settings.put(key.substring(prefix.length()), value);
            }
        });
        return build(settings, key -> prefix + key);
    }

    /** The same from {@link Properties} (a {@code .properties} file), keys with {@code prefix}. */
    public static StoreConfig fromProperties(Properties properties, String prefix) {
        Map<String, String> copy = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            copy.put(name, properties.getProperty(name));
        }
        return fromProperties(copy, prefix);
    }

    /** The configuration this process's environment describes ({@code SQLITE_METRICS_DB=...} and the like). */
    public static StoreConfig fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * The configuration {@code environment} describes: variables {@code SQLITE_METRICS_<KEY>}, the key in
     * upper snake case ({@code SQLITE_METRICS_RETRY_DEADLINE}); other variables are left alone.
     */
    public static StoreConfig fromEnvironment(Map<String, String> environment) {
        Map<String, String> settings = new LinkedHashMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith(ENVIRONMENT_PREFIX)) {
                String key = name.substring(ENVIRONMENT_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '-');
                settings.put(key, value);
            }
        });
        return build(settings, key -> ENVIRONMENT_PREFIX + key.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** @param name a key as the user wrote it: with its prefix, or as an environment variable */
    private static StoreConfig build(Map<String, String> settings, java.util.function.UnaryOperator<String> name) {
        for (String key : settings.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown setting " + name.apply(key) + "; did you mean "
                        + name.apply(nearest(key)) + "? (known: " + String.join(", ", KEYS.stream().map(name).toList()) + ")");
            }
        }
        String db = settings.get("db");
        String url = settings.get("jdbc-url");
        if ((db == null) == (url == null)) {
            throw new IllegalArgumentException("give exactly one of " + name.apply("db") + " (a SQLite file) and "
                    + name.apply("jdbc-url") + " (a PostgreSQL server)");
        }
        for (String key : db != null ? SERVER_ONLY : FILE_ONLY) {
            if (settings.containsKey(key)) {
                throw new IllegalArgumentException(name.apply(key) + " is a setting of " + (db != null
                        ? "a PostgreSQL server and means nothing for the SQLite file " + name.apply("db")
                        : "a SQLite file and means nothing with " + name.apply("jdbc-url") + " (a server's durability is"
                        + " its synchronous_commit)"));
            }
        }
        Reader reader = new Reader(settings, name);
        Retry defaults = Retry.defaults();
        int attempts = reader.integer("retry-max-attempts", defaults.maxAttempts());
        Duration initial = reader.duration("retry-initial-backoff", defaults.initialBackoff());
        Duration longest = reader.duration("retry-max-backoff", defaults.maxBackoff());
        double jitter = reader.decimal("retry-jitter", defaults.jitter());
        Duration deadline = reader.duration("retry-deadline", defaults.deadline());
        // A value out of range is refused by the config itself, naming the setting.
        Retry retry = new Retry(attempts, initial, longest, jitter, deadline);
        if (db != null) {
            SqliteConfig.Builder builder = SqliteConfig.builder(Path.of(db)).retry(retry)
                    .busyTimeout(reader.duration("busy-timeout", Duration.ofMillis(SqliteConfig.DEFAULT_BUSY_TIMEOUT_MS)))
                    .journalMode(reader.choice("journal-mode", JournalMode.class, JournalMode.WAL))
                    .synchronous(reader.choice("synchronous", Synchronous.class, Synchronous.FULL))
                    .poolSize(reader.integer("pool-size", SqliteConfig.DEFAULT_POOL_SIZE))
                    .tableName(settings.getOrDefault("table-name", SqliteConfig.DEFAULT_TABLE_NAME))
                    .maxMessageBytes(reader.integer("max-message-bytes", SqliteConfig.DEFAULT_MAX_MESSAGE_BYTES))
                    .maxBatchSize(reader.integer("max-batch-size", SqliteConfig.DEFAULT_MAX_BATCH_SIZE))
                    .queueCapacity(reader.integer("queue-capacity", SqliteConfig.DEFAULT_QUEUE_CAPACITY))
                    .sharedCommits(reader.flag("shared-commits", false));
            return builder.build();
        }
        PostgresConfig.Builder builder = PostgresConfig.builder(url).retry(retry)
                .connectTimeout(reader.duration("connect-timeout", Duration.ofMillis(PostgresConfig.DEFAULT_CONNECT_TIMEOUT_MS)))
                .poolSize(reader.integer("pool-size", SqliteConfig.DEFAULT_POOL_SIZE))
                .tableName(settings.getOrDefault("table-name", SqliteConfig.DEFAULT_TABLE_NAME))
                .maxMessageBytes(reader.integer("max-message-bytes", SqliteConfig.DEFAULT_MAX_MESSAGE_BYTES))
                .maxBatchSize(reader.integer("max-batch-size", SqliteConfig.DEFAULT_MAX_BATCH_SIZE))
                .queueCapacity(reader.integer("queue-capacity", SqliteConfig.DEFAULT_QUEUE_CAPACITY));
        String user = settings.get("user");
        String password = settings.get("password");
        if (user != null && !user.isEmpty()) {
            builder.user(user);
        }
        if (password != null && !password.isEmpty()) {
            builder.password(password);
        }
        return builder.build();
    }

    /** Each setting's value, parsed, with the key named in every error. */
    private record Reader(Map<String, String> settings, java.util.function.UnaryOperator<String> name) {
        Duration duration(String key, Duration otherwise) {
            String value = settings.get(key);
            return value == null ? otherwise : call(key, () -> Durations.parse(value));
        }

        int integer(String key, int otherwise) {
            String value = settings.get(key);
            return value == null ? otherwise : call(key, () -> Integer.parseInt(value.strip()));
        }

        double decimal(String key, double otherwise) {
            String value = settings.get(key);
            return value == null ? otherwise : call(key, () -> Double.parseDouble(value.strip()));
        }

        boolean flag(String key, boolean otherwise) {
            String value = settings.get(key);
            return value == null ? otherwise : call(key, () -> switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException("must be true or false, was " + value);
            });
        }

        <E extends Enum<E>> E choice(String key, Class<E> type, E otherwise) {
            String value = settings.get(key);
            if (value == null) {
                return otherwise;
            }
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(value.strip())) {
                    return constant;
                }
            }
            throw new IllegalArgumentException(name.apply(key) + ": must be one of " + java.util.Arrays.stream(
                    type.getEnumConstants()).map(Enum::name).collect(java.util.stream.Collectors.joining(", "))
                    + ", was " + value);
        }

        <T> T call(String key, java.util.function.Supplier<T> parse) {
            try {
                return parse.get();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name.apply(key) + ": " + e.getMessage(), e);
            }
        }
    }

    /** The known key closest to {@code key} in edit distance. */
    static String nearest(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : KEYS) {
            int distance = distance(key, known);
            if (distance < bestDistance) {
                best = known;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /**
     * {@code config}'s settings under their keys, as {@link #fromProperties} reads them back; never the
     * password (a password in the JDBC URL is cut out too).
     */
    public static Map<String, String> toProperties(StoreConfig config) {
        Map<String, String> keys = new LinkedHashMap<>();
        if (config instanceof SqliteConfig sqlite) {
            keys.put("db", sqlite.path().toString());
            keys.put("busy-timeout", Durations.format(sqlite.busyTimeout()));
            keys.put("journal-mode", sqlite.journalMode().name());
            keys.put("synchronous", sqlite.synchronous().name());
            keys.put("shared-commits", String.valueOf(sqlite.sharedCommits()));
        } else {
            PostgresConfig server = (PostgresConfig) config;
            if (server.jdbcUrl() != null) {
                keys.put("jdbc-url", server.database());
            }
            if (server.user() != null) {
                keys.put("user", server.user());
            }
            keys.put("connect-timeout", Durations.format(server.connectTimeout()));
        }
        keys.put("retry-deadline", Durations.format(config.retry().deadline()));
        keys.put("retry-max-attempts", String.valueOf(config.retry().maxAttempts()));
        keys.put("retry-initial-backoff", Durations.format(config.retry().initialBackoff()));
        keys.put("retry-max-backoff", Durations.format(config.retry().maxBackoff()));
        keys.put("retry-jitter", String.valueOf(config.retry().jitter()));
        keys.put("pool-size", String.valueOf(config.poolSize()));
        keys.put("table-name", config.tableName());
        keys.put("max-message-bytes", String.valueOf(config.maxMessageBytes()));
        keys.put("max-batch-size", String.valueOf(config.maxBatchSize()));
        keys.put("queue-capacity", String.valueOf(config.queueCapacity()));
        return keys;
    }
}
