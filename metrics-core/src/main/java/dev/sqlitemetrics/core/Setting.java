package dev.sqlitemetrics.core;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Every setting of a recorder, in one table: its key (the property, the environment variable's
 * suffix and the command-line flag), the builder method it sets, the store it belongs to, its
 * default and what it is for. {@link ConfigProperties} reads these keys, both command lines build
 * their options from this table, and the settings page of the documentation is checked against it.
 * The limits themselves are checked where a config is built ({@link SqliteConfig}, {@link PostgresConfig}).
 */
public enum Setting {
    /** The SQLite file. */
    DB("db", "path", Store.SQLITE, "FILE", null,
            "The SQLite database file; created with its table if missing.",
            "the database file; created with its table if missing, stored absolute"),
    /** The PostgreSQL server. */
    JDBC_URL("jdbc-url", "jdbcUrl", Store.POSTGRES, "URL", null,
            "A PostgreSQL server instead of a file: jdbc:postgresql://host:5432/database.",
            "`jdbc:postgresql://host:port/database`; several hosts with `targetServerType=primary` for a primary and"
                    + " its standby; a password in it is cut out of every message"),
    /** The server's user. */
    USER("user", "user", Store.POSTGRES, "NAME", null,
            "With --jdbc-url: the user to connect as.",
            "the URL's, else the driver's default"),
    /** The server's password. */
    PASSWORD("password", "password", Store.POSTGRES, "PASSWORD", null,
            "With --jdbc-url: the password (or the environment variable SQLITE_METRICS_PASSWORD, which keeps it off"
                    + " the command line).",
            "a `Password`, which prints as `******` in `toString()`, messages and reports"),
    /** How long opening a connection to the server may take. */
    CONNECT_TIMEOUT("connect-timeout", "connectTimeout", Store.POSTGRES, "DURATION",
            Durations.format(Duration.ofMillis(PostgresConfig.DEFAULT_CONNECT_TIMEOUT_MS)),
            "With --jdbc-url: how long opening one connection may take.",
            "a server that is down fails fast and is retried within the deadline"),
    /** SQLite's busy timeout. */
    BUSY_TIMEOUT("busy-timeout", "busyTimeout", Store.SQLITE, "DURATION",
            Durations.format(Duration.ofMillis(SqliteConfig.DEFAULT_BUSY_TIMEOUT_MS)),
            "How long one attempt waits inside SQLite for the write lock.",
            "long enough that a writer rarely leaves SQLite's busy handler in a burst"),
    /** SQLite's journal mode. */
    JOURNAL_MODE("journal-mode", "journalMode", Store.SQLITE, "MODE", JournalMode.WAL.name(),
            "WAL, DELETE, TRUNCATE or PERSIST.",
            "readers never block the writer; the only mode where `FULL` costs one fsync per commit"),
    /** SQLite's fsync level. */
    SYNCHRONOUS("synchronous", "synchronous", Store.SQLITE, "LEVEL", Synchronous.FULL.name(),
            "OFF, NORMAL, FULL or EXTRA.",
            "an acknowledged record survives power loss, not only a process crash (tested with power cuts); group"
                    + " commit makes it cheap. `NORMAL` survives process crashes only: a power cut loses what was"
                    + " acknowledged since the last checkpoint"),
    /** Whether processes share transactions. */
    SHARED_COMMITS("shared-commits", "sharedCommits", Store.SQLITE, "BOOLEAN", "false",
            "Whether recorders of different processes on one host share transactions.",
            "recorders of different processes on one host share transactions through a memory-mapped spool"
                    + " `<database>.spool`; off by default because on a fast disk it gains little"),
    /** Attempts per batch. */
    RETRY_MAX_ATTEMPTS("retry-max-attempts", "retry.maxAttempts", Store.BOTH, "N",
            String.valueOf(Retry.defaults().maxAttempts()),
            "Attempts per batch in all.",
            "high enough that the deadline is what ends retrying"),
    /** The first wait. */
    RETRY_INITIAL_BACKOFF("retry-initial-backoff", "retry.initialBackoff", Store.BOTH, "DURATION",
            Durations.format(Retry.defaults().initialBackoff()),
            "Wait before the second attempt.",
            "a busy lock is usually released within milliseconds"),
    /** The longest wait. */
    RETRY_MAX_BACKOFF("retry-max-backoff", "retry.maxBackoff", Store.BOTH, "DURATION",
            Durations.format(Retry.defaults().maxBackoff()),
            "Longest wait between attempts.",
            "a waiting writer still polls four times a second"),
    /** The random part of each wait. */
    RETRY_JITTER("retry-jitter", "retry.jitter", Store.BOTH, "FRACTION", String.valueOf(Retry.defaults().jitter()),
            "Random fraction of each wait, in [0, 1).",
            "half of each wait is random, so colliding writers spread out"),
    /** A batch's budget. */
    RETRY_DEADLINE("retry-deadline", "retry.deadline", Store.BOTH, "DURATION",
            Durations.format(Retry.defaults().deadline()),
            "Total time budget of one batch: no call waits much longer.",
            "a burst of thousands of processes drains well within it; every call is answered within the deadline"
                    + " plus about a second, even when a statement never returns"),
    /** Connections. */
    POOL_SIZE("pool-size", "poolSize", Store.BOTH, "N", String.valueOf(StoreConfig.DEFAULT_POOL_SIZE),
            "Connections: one kept by the writer, the rest pooled for reads.",
            "the writer's own connection (opened directly, never waited for) plus a pool of `poolSize - 1` for"
                    + " `count()` and reads; 2 to 64"),
    /** The table. */
    TABLE_NAME("table-name", "tableName", Store.BOTH, "NAME", StoreConfig.DEFAULT_TABLE_NAME,
            "The table that receives records.",
            "the classic one-row-per-process experiment's table, so existing queries keep working; letters, digits,"
                    + " `_` only"),
    /** A record's size limit. */
    MAX_MESSAGE_BYTES("max-message-bytes", "maxMessageBytes", Store.BOTH, "N",
            String.valueOf(StoreConfig.DEFAULT_MAX_MESSAGE_BYTES),
            "Largest UTF-8 payload of a record.",
            "checked before any SQL; at most 100 MiB"),
    /** A transaction's size limit. */
    MAX_BATCH_SIZE("max-batch-size", "maxBatchSize", Store.BOTH, "N", String.valueOf(StoreConfig.DEFAULT_MAX_BATCH_SIZE),
            "Most records per transaction.",
            "amortises one fsync, keeps a transaction short"),
    /** The queue's size. */
    QUEUE_CAPACITY("queue-capacity", "queueCapacity", Store.BOTH, "N", String.valueOf(StoreConfig.DEFAULT_QUEUE_CAPACITY),
            "Records waiting for the writer before callers block.",
            "never dropped: callers wait; at least `maxBatchSize`, at most 1,000,000, since its slots are allocated at open");

    /** Which store a setting means something for. */
    public enum Store {
        /** Only a SQLite file's configuration has it. */
        SQLITE,
        /** Only a PostgreSQL server's configuration has it. */
        POSTGRES,
        /** Both have it, with the same meaning, default and limits. */
        BOTH;

        /** Whether a setting of this scope applies to {@code config}'s store. */
        public boolean appliesTo(StoreConfig config) {
            return this == BOTH || (this == SQLITE) == (config instanceof SqliteConfig);
        }
    }

    private final String key;
    private final String property;
    private final Store store;
    private final String label;
    private final String defaultValue;
    private final String summary;
    private final String why;

    Setting(String key, String property, Store store, String label, String defaultValue, String summary, String why) {
        this.key = key;
        this.property = property;
        this.store = store;
        this.label = label;
        this.defaultValue = defaultValue;
        this.summary = summary;
        this.why = why;
    }

    /** The key in kebab case: the property ({@code busy-timeout}) and the flag ({@code --busy-timeout}). */
    public String key() {
        return key;
    }

    /** The environment variable: {@code SQLITE_METRICS_BUSY_TIMEOUT}. */
    public String environmentVariable() {
        return ConfigProperties.ENVIRONMENT_PREFIX + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The config's component or builder method ({@code busyTimeout}; {@code retry.deadline} for a part of {@link Retry}). */
    public String property() {
        return property;
    }

    /** The store it belongs to. */
    public Store store() {
        return store;
    }

    /** What its value is, in a word: {@code DURATION}, {@code N}, {@code FILE}, ... */
    public String label() {
        return label;
    }

    /** Its default as it would be written in a property, or empty when there is none (it must be given, or is optional). */
    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** What it sets, in one sentence (the command lines' help). */
    public String summary() {
        return summary;
    }

    /** Why its default is what it is, and its limits (the documentation's table). */
    public String why() {
        return why;
    }

    /** Whether it is a secret: never printed, never passed on a command line. */
    public boolean secret() {
        return this == PASSWORD;
    }

    /** The setting with this key. */
    public static Optional<Setting> forKey(String key) {
        return Arrays.stream(values()).filter(setting -> setting.key.equals(key)).findFirst();
    }
}
