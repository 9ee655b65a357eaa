package dev.sqlitemetrics.testkit.internal.cli;

import dev.sqlitemetrics.core.ConfigProperties;
import dev.sqlitemetrics.core.Setting;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.core.StoreConfig;
import dev.sqlitemetrics.testkit.internal.run.Target;
import picocli.CommandLine;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One command-line flag per {@link Setting}, made from that table (so every command line offers the
 * same flags, with the same names, help and defaults as the properties), read by the library's own
 * parser of those names ({@link ConfigProperties}). {@code --jdbc-url} selects PostgreSQL; unset flags
 * keep the library's defaults; {@code ConfigArgs} renders a config back as these flags.
 */
public final class ConfigOptions {
    private final Map<Setting, String> values = new EnumMap<>(Setting.class);
    private char[] password;

    /**
     * Adds a flag for each setting {@code which} accepts to {@code command}; their values are kept
     * here. A password flag is interactive: given without a value, it is prompted for.
     *
     * @return this
     */
    public ConfigOptions addTo(CommandLine command, Predicate<Setting> which) {
        for (Setting setting : Setting.values()) {
            if (!which.test(setting)) {
                continue;
            }
            String summary = setting.summary().endsWith(".") ? setting.summary().substring(0, setting.summary().length() - 1)
                    : setting.summary();
            String description = summary + setting.defaultValue().map(value -> " (default: " + value + ")").orElse("") + ".";
            OptionSpec.Builder option = OptionSpec.builder("--" + setting.key()).paramLabel(setting.label());
            if (setting.secret()) {
                option.type(char[].class).arity("0..1").interactive(true).description(description)
                        .setter(new ISetter() {
                            @Override
                            public <T> T set(T value) {
                                password = (char[]) value;
                                return null;
                            }
                        });
            } else {
                option.type(String.class).arity("1").description(description).setter(new ISetter() {
                    @Override
                    public <T> T set(T value) {
                        if (value != null) {
                            values.put(setting, (String) value);
                        }
                        return null;
                    }
                });
            }
            command.getCommandSpec().addOption(option.build());
        }
        return this;
    }

    /** Whether {@code --jdbc-url} names a server (else the config is a SQLite file's). */
    public boolean namesAServer() {
        return values.containsKey(Setting.JDBC_URL);
    }

    /** The value given for {@code setting}, or null. */
    public String value(Setting setting) {
        return values.get(setting);
    }

    /**
     * The config these flags describe: a PostgreSQL server with {@code --jdbc-url}, otherwise the
     * SQLite file of {@code --db}, or {@code path} when there is no {@code --db}. The password comes
     * from {@code --password} or the environment variable {@value Target#PASSWORD_VARIABLE}.
     *
     * @param path the file when none is named; null when the command needs one named
     * @throws IllegalArgumentException naming the flag, if a setting is given for the other store, a value
     *                                  does not parse or is out of range, or neither or both stores are named
     */
    public StoreConfig toStoreConfig(Path path) {
        Map<String, String> settings = new LinkedHashMap<>();
        values.forEach((setting, value) -> settings.put(setting.key(), value));
        if (!namesAServer() && !settings.containsKey(Setting.DB.key()) && path != null) {
            settings.put(Setting.DB.key(), path.toString());
        }
        if (namesAServer()) {
            String secret = password != null ? new String(password) : System.getenv(Target.PASSWORD_VARIABLE);
            if (secret != null && !secret.isEmpty()) {
                settings.put(Setting.PASSWORD.key(), secret);
            }
        }
        try {
            return ConfigProperties.fromProperties(settings);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(asFlags(e.getMessage()), e);
        }
    }

    /**
     * {@code message} with the settings it names as flags: the parser names keys ({@code pool-size: ...}),
     * a config its components ({@code poolSize must be ...}); here both are flags ({@code --pool-size}).
     */
    static String asFlags(String message) {
        String flags = message.replaceAll("\\b(" + String.join("|", ConfigProperties.KEYS) + ")\\b(?=[ :)]|$)", "--$1");
        for (Setting setting : Setting.values()) {
            if (!setting.property().equals(setting.key())) {
                flags = flags.replaceAll("(?<![\\w.-])" + java.util.regex.Pattern.quote(setting.property()) + "(?= must| \\()",
                        "--" + setting.key());
            }
        }
        return flags;
    }

    /** The config these flags describe for the SQLite database at {@code path}. */
    public SqliteConfig toConfig(Path path) {
        if (namesAServer()) {
            throw new IllegalArgumentException("--jdbc-url names a server, not a SQLite file");
        }
        return (SqliteConfig) toStoreConfig(path);
    }
}
