package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.internal.Stores;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything a {@link MetricsRecorder} on a PostgreSQL server needs to know, as plain data: for jobs
 * that finish on many hosts and need one place to record to (never a SQLite file on a network file
 * system). The settings shared with {@link SqliteConfig} mean the same and have the same defaults;
 * SQLite's file settings (journal mode, synchronous, busy timeout) have no meaning here and are not
 * offered: durability is the server's {@code synchronous_commit}.
 *
 * <pre>{@code
 * PostgresConfig config = PostgresConfig.builder("jdbc:postgresql://db.example:5432/metrics")
 *         .user("metrics").password(System.getenv("PGPASSWORD")).build();
 * }</pre>
 *
 * <p>The password is a {@link Password}, which never prints itself. Secrets given in the URL
 * ({@code user:password@}, and any parameter whose name holds {@code password}, {@code secret} or
 * {@code token}, such as {@code sslpassword}) are masked in {@link #database()}, {@link #toString()}
 * and every message the library writes, the driver's included.
 *
 * @param jdbcUrl         {@code jdbc:postgresql://host:port/database[?...]}, or {@code null} when the
 *                        recorder is opened with a {@code DataSource} of the caller's
 * @param user            the user, or {@code null} for the URL's or the driver's default
 * @param password        the password, or {@code null} for the URL's or none
 * @param connectTimeout  how long opening one connection may take, default {@value #DEFAULT_CONNECT_TIMEOUT_MS}ms
 * @param retry           how failed batches are retried (connection failures, server restarts,
 *                        serialization failures, too many clients), default {@link Retry#defaults()}
 * @param poolSize        connections: one kept by the writer, the rest pooled for reads; default {@value StoreConfig#DEFAULT_POOL_SIZE}
 * @param tableName       table that receives records, default {@value StoreConfig#DEFAULT_TABLE_NAME}
 * @param maxMessageBytes largest UTF-8 payload of one record, default {@value StoreConfig#DEFAULT_MAX_MESSAGE_BYTES}
 * @param maxBatchSize    most records committed in one transaction, default {@value StoreConfig#DEFAULT_MAX_BATCH_SIZE}
 * @param queueCapacity   records accepted but not yet committed before callers wait, default {@value StoreConfig#DEFAULT_QUEUE_CAPACITY}
 */
public record PostgresConfig(String jdbcUrl, String user, Password password, Duration connectTimeout, Retry retry,
                             int poolSize, String tableName, int maxMessageBytes, int maxBatchSize, int queueCapacity)
        implements StoreConfig {

    /** Default time to open one connection. */
    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

    /** Checks every invariant; messages read {@code <setting> must be <constraint>, was <value>}. */
    public PostgresConfig {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(tableName, "tableName");
        if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("jdbcUrl must start with jdbc:postgresql:, was " + redact(jdbcUrl));
        }
        if (user != null && user.isEmpty()) {
            throw new IllegalArgumentException("user must not be empty, was ''");
        }
        if (connectTimeout.toSeconds() < 1 || connectTimeout.toSeconds() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("connectTimeout must be at least 1s, was " + connectTimeout.toMillis() + "ms");
        }
        Builder.checkShared(poolSize, tableName, "pg_", maxMessageBytes, maxBatchSize, queueCapacity);
    }

    /** A builder for the server at {@code jdbcUrl}, starting from every default. */
    public static Builder builder(String jdbcUrl) {
        return new Builder(Objects.requireNonNull(jdbcUrl, "jdbcUrl"));
    }

    /** A builder without a URL, for a recorder opened with a {@code DataSource} of the caller's. */
    public static Builder builder() {
        return new Builder(null);
    }

    /** A builder that starts from this config's values. */
    public Builder toBuilder() {
        return new Builder(jdbcUrl).user(user).password(password).connectTimeout(connectTimeout).retry(retry)
                .poolSize(poolSize).tableName(tableName).maxMessageBytes(maxMessageBytes).maxBatchSize(maxBatchSize)
                .queueCapacity(queueCapacity);
    }

    /** The URL without any password in it, or {@code "(a DataSource)"}. */
    @Override
    public String database() {
        return jdbcUrl == null ? "(a DataSource)" : redact(jdbcUrl);
    }

    /** Every setting, the password never. */
    @Override
    public String toString() {
        return "PostgresConfig[jdbcUrl=" + database() + ", user=" + user + ", password=" + (password == null ? null : password)
                + ", connectTimeout=" + connectTimeout.toMillis() + "ms, retry=" + retry + ", poolSize=" + poolSize
                + ", tableName=" + tableName + ", maxMessageBytes=" + maxMessageBytes + ", maxBatchSize=" + maxBatchSize
                + ", queueCapacity=" + queueCapacity + "]";
    }

    /**
     * {@code url} with {@code user:password@} and the value of every parameter whose name holds
     * {@code password}, {@code secret} or {@code token} masked.
     */
    static String redact(String url) {
        return Stores.redactUrl(url);
    }

    /** Collects settings; {@link #build()} checks them all at once. Not thread-safe. */
    public static final class Builder extends StoreConfig.Builder<Builder> {
        private final String jdbcUrl;
        private String user;
        private Password password;
        private Duration connectTimeout = Duration.ofMillis(DEFAULT_CONNECT_TIMEOUT_MS);

        private Builder(String jdbcUrl) {
            this.jdbcUrl = jdbcUrl;
        }

        /** The user to connect as. */
        public Builder user(String value) {
            this.user = value;
            return this;
        }

        /** The password, kept as a {@link Password}; {@code null} for none. */
        public Builder password(String value) {
            this.password = value == null ? null : Password.of(value);
            return this;
        }

        /** The password. */
        public Builder password(Password value) {
            this.password = value;
            return this;
        }

        /** How long opening one connection may take. */
        public Builder connectTimeout(Duration value) {
            this.connectTimeout = value;
            return this;
        }

        /** A checked, immutable config. */
        public PostgresConfig build() {
            return new PostgresConfig(jdbcUrl, user, password, connectTimeout, retry, poolSize, tableName,
                    maxMessageBytes, maxBatchSize, queueCapacity);
        }
    }
}
