package dev.sqlitemetrics.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The table of settings ({@link Setting}) and everything it drives cannot drift apart: every setting
 * names a component of its store's config, its default is what a default config holds, the property
 * parser knows exactly its keys, and the documentation's settings table is the one rendered from it.
 */
class SettingsTableTest {
    private static final SqliteConfig SQLITE = SqliteConfig.defaults(Path.of("m.db"));
    private static final PostgresConfig POSTGRES = PostgresConfig.builder("jdbc:postgresql://db.example/metrics").build();
    private static final Path DOCS = Path.of("..", "docs", "settings.md");
    private static final String BEGIN = "<!-- the settings table: rendered from dev.sqlitemetrics.core.Setting, checked by SettingsTableTest -->";
    private static final String END = "<!-- end of the settings table -->";

    @Test
    void everySettingNamesAComponentOfItsStoresConfig() {
        for (Setting setting : Setting.values()) {
            for (Class<?> config : configsOf(setting.store())) {
                String[] parts = setting.property().split("\\.");
                Class<?> owner = parts.length == 2 ? Retry.class : config;
                assertThat(componentNames(owner)).as("%s of %s", setting, config.getSimpleName())
                        .contains(parts[parts.length - 1]);
            }
        }
        // And the other way round: every component of a config is a setting.
        Set<String> properties = Arrays.stream(Setting.values()).map(Setting::property).collect(Collectors.toSet());
        for (Class<?> config : new Class<?>[]{SqliteConfig.class, PostgresConfig.class}) {
            for (String component : componentNames(config)) {
                if (!component.equals("retry")) {
                    assertThat(properties).as("a setting for %s.%s", config.getSimpleName(), component).contains(component);
                }
            }
        }
        for (String component : componentNames(Retry.class)) {
            assertThat(properties).contains("retry." + component);
        }
    }

    @Test
    void theDefaultsAreWhatADefaultConfigHolds() {
        Map<String, String> sqlite = ConfigProperties.toProperties(SQLITE);
        Map<String, String> postgres = ConfigProperties.toProperties(POSTGRES);
        for (Setting setting : Setting.values()) {
            setting.defaultValue().ifPresent(value -> {
                if (setting.store() != Setting.Store.POSTGRES) {
                    assertThat(sqlite.get(setting.key())).as(setting.key()).isEqualTo(value);
                }
                if (setting.store() != Setting.Store.SQLITE) {
                    assertThat(postgres.get(setting.key())).as(setting.key()).isEqualTo(value);
                }
            });
        }
        Set<String> written = new HashSet<>(sqlite.keySet());
        written.addAll(postgres.keySet());
        assertThat(ConfigProperties.KEYS).containsAll(written)
                .containsExactly(Arrays.stream(Setting.values()).map(Setting::key).toArray(String[]::new));
    }

    @Test
    void aSettingOfTheOtherStoreIsRefusedByKey() {
        for (Setting setting : Setting.values()) {
            if (setting.store() == Setting.Store.SQLITE && setting != Setting.DB) {
                assertThat(Setting.forKey(setting.key())).contains(setting);
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigProperties.fromProperties(
                                Map.of("jdbc-url", "jdbc:postgresql://db.example/metrics", setting.key(), "1")))
                        .hasMessageStartingWith(setting.key() + " is a setting of a SQLite file");
            }
        }
    }

    @Test
    void theDocumentationsTableIsTheOneRenderedFromTheSettings() throws IOException {
        String page = Files.readString(DOCS, StandardCharsets.UTF_8);
        assertThat(page).contains(BEGIN).contains(END);
        String table = page.substring(page.indexOf(BEGIN) + BEGIN.length(), page.indexOf(END)).strip();
        assertThat(table).as("docs/settings.md between the markers; the rendered table is:%n%s", render())
                .isEqualTo(render());
    }

    /** The documentation's table: one row per setting, in the table's order. */
    static String render() {
        StringBuilder out = new StringBuilder("| setting | key, flag | store | default | why |\n|---|---|---|---|---|\n");
        for (Setting setting : Setting.values()) {
            out.append("| `").append(setting.property()).append("` | `").append(setting.key()).append("` | ")
                    .append(switch (setting.store()) {
                        case SQLITE -> "SQLite";
                        case POSTGRES -> "PostgreSQL";
                        case BOTH -> "both";
                    })
                    .append(" | ").append(setting.defaultValue().map(value -> "`" + value + "`").orElse("-"))
                    .append(" | ").append(setting.why()).append(" |\n");
        }
        return out.toString().strip();
    }

    private static Class<?>[] configsOf(Setting.Store store) {
        return switch (store) {
            case SQLITE -> new Class<?>[]{SqliteConfig.class};
            case POSTGRES -> new Class<?>[]{PostgresConfig.class};
            case BOTH -> new Class<?>[]{SqliteConfig.class, PostgresConfig.class};
        };
    }

    private static Set<String> componentNames(Class<?> record) {
        return Arrays.stream(record.getRecordComponents()).map(java.lang.reflect.RecordComponent::getName)
                .collect(Collectors.toSet());
    }
}
