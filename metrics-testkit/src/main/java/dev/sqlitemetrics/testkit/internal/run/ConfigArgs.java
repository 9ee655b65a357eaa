package dev.sqlitemetrics.testkit.internal.run;

import dev.sqlitemetrics.core.ConfigProperties;
import dev.sqlitemetrics.core.Setting;
import dev.sqlitemetrics.core.StoreConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A config as the flags of a writer JVM's command line, which is how it travels to child JVMs. Free
 * of the command-line library, so that the runner works in an application that does not have it.
 */
public final class ConfigArgs {
    /** The settings that say where the database is, which a command names in its own way. */
    public static final Set<Setting> WHERE = Set.of(Setting.DB, Setting.JDBC_URL, Setting.USER, Setting.PASSWORD);

    private ConfigArgs() {
    }

    /**
     * Every setting of {@code config} except where the database is (the path; the URL, user and
     * password: a password travels in the environment, never as a flag), as flags.
     */
    public static List<String> of(StoreConfig config) {
        List<String> args = new ArrayList<>();
        ConfigProperties.toProperties(config).forEach((key, value) -> {
            if (Setting.forKey(key).filter(WHERE::contains).isEmpty()) {
                args.add("--" + key);
                args.add(value);
            }
        });
        return args;
    }
}
