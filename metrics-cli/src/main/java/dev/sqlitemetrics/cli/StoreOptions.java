package dev.sqlitemetrics.cli;

import dev.sqlitemetrics.core.PostgresConfig;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.core.StoreConfig;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;

/** Where the metrics are: a SQLite file, or a table on a PostgreSQL server. Shared by every subcommand. */
final class StoreOptions {
    /** The environment variable a password is read from, which keeps it off the command line. */
    static final String PASSWORD_VARIABLE = "SQLITE_METRICS_PASSWORD";

    @Spec(Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--db", paramLabel = "FILE", description = "The SQLite database file.")
    Path db;

    @Option(names = "--jdbc-url", paramLabel = "URL",
            description = "A PostgreSQL server instead of a file: jdbc:postgresql://host:5432/database.")
    String jdbcUrl;

    @Option(names = "--user", paramLabel = "NAME", description = "With --jdbc-url: the user to connect as.")
    String user;

    @Option(names = "--table-name", paramLabel = "NAME", description = "The table (default: messages).")
    String tableName = SqliteConfig.DEFAULT_TABLE_NAME;

    /** The configuration the options name; exactly one of {@code --db} and {@code --jdbc-url}. */
    StoreConfig config() {
        if ((db == null) == (jdbcUrl == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give exactly one of --db FILE and --jdbc-url URL");
        }
        try {
            if (db != null) {
                return SqliteConfig.builder(db).tableName(tableName).build();
            }
            return postgres(jdbcUrl, user, tableName).build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
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
