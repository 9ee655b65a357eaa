package dev.sqlitemetrics.core;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The checks of the settings every store shares, in one place, so both configurations accept the
 * same values with the same messages ({@code <setting> must be <constraint>, was <value>}).
 */
final class Limits {
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private Limits() {
    }

    /**
     * @param reservedPrefix table names the store keeps for itself ({@code sqlite_}, {@code pg_}), lower case
     */
    static void check(int poolSize, String tableName, String reservedPrefix, int maxMessageBytes, int maxBatchSize,
                      int queueCapacity) {
        if (poolSize < SqliteConfig.MIN_POOL_SIZE || poolSize > SqliteConfig.MAX_POOL_SIZE) {
            throw new IllegalArgumentException("poolSize must be between " + SqliteConfig.MIN_POOL_SIZE + " and "
                    + SqliteConfig.MAX_POOL_SIZE + " (the writer keeps one connection), was " + poolSize);
        }
        if (!TABLE_NAME.matcher(tableName).matches() || tableName.toLowerCase(Locale.ROOT).startsWith(reservedPrefix)) {
            throw new IllegalArgumentException("tableName must be a letter or underscore followed by up to 62 letters,"
                    + " digits or underscores, not starting with " + reservedPrefix + ", was '" + tableName + "'");
        }
        if (maxMessageBytes < 1 || maxMessageBytes > SqliteConfig.MAX_MESSAGE_BYTES_LIMIT) {
            throw new IllegalArgumentException("maxMessageBytes must be between 1 and "
                    + SqliteConfig.MAX_MESSAGE_BYTES_LIMIT + ", was " + maxMessageBytes);
        }
        if (maxBatchSize < 1 || maxBatchSize > SqliteConfig.MAX_BATCH_SIZE_LIMIT) {
            throw new IllegalArgumentException("maxBatchSize must be between 1 and " + SqliteConfig.MAX_BATCH_SIZE_LIMIT
                    + ", was " + maxBatchSize);
        }
        if (queueCapacity < maxBatchSize) {
            throw new IllegalArgumentException(
                    "queueCapacity must be at least maxBatchSize (" + maxBatchSize + "), was " + queueCapacity);
        }
        if (queueCapacity > SqliteConfig.MAX_QUEUE_CAPACITY) {
            throw new IllegalArgumentException(
                    "queueCapacity must be at most " + SqliteConfig.MAX_QUEUE_CAPACITY + ", was " + queueCapacity);
        }
    }
}
