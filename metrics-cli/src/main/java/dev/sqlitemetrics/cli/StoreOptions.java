package dev.sqlitemetrics.cli;

import dev.sqlitemetrics.core.PostgresConfig;
import dev.sqlitemetrics.core.StoreConfig;
import dev.sqlitemetrics.testkit.internal.cli.ConfigOptions;
import dev.sqlitemetrics.testkit.internal.run.Target;
import picocli.CommandLine;

/**
 * Where the metrics are and how to reach them: a flag per setting (made from the library's table of
 * settings, the same flags as {@code sqlite-metrics contention}'s), exactly one of {@code --db} and
 * {@code --jdbc-url}. Shared by every subcommand that reads or writes one store.
 */
final class StoreOptions {
    /** The environment variable a password is read from, which keeps it off the command line. */
    static final String PASSWORD_VARIABLE = Target.PASSWORD_VARIABLE;

    private final ConfigOptions settings = new ConfigOptions();
    private CommandLine command;

    /** Adds the flags to {@code command}, whose usage errors they then report. */
    void addTo(CommandLine command) {
        this.command = command;
        settings.addTo(command, setting -> true);
    }

    /** The configuration the options name. */
    StoreConfig config() {
        try {
            return settings.toStoreConfig(null);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(command, e.getMessage());
        }
    }

    /** The value given for {@code setting}, or null. */
    String value(dev.sqlitemetrics.core.Setting setting) {
        return settings.value(setting);
    }

    /** A server's config from the command line's options, the password from {@value #PASSWORD_VARIABLE}. */
    static PostgresConfig.Builder postgres(String jdbcUrl, String user, String tableName) {
        PostgresConfig.Builder builder = PostgresConfig.builder(jdbcUrl).tableName(tableName);
        if (user != null) {
            builder.user(user);
        }
        String password = System.getenv(PASSWORD_VARIABLE);
        return password == null ? builder : builder.password(password);
    }
}
