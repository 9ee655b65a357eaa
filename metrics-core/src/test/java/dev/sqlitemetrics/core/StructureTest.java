package dev.sqlitemetrics.core;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.sqlitemetrics.core.internal.Stores;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The layout the design rests on, checked on the compiled classes: the engine knows no store, the
 * stores know nothing of each other, the API package holds the contract and reaches the engine only
 * through {@link Stores}, which alone decides the store from a configuration.
 */
class StructureTest {
    private static final String API = "dev.sqlitemetrics.core";
    private static final String[] STORE_NEUTRAL = {"dev.sqlitemetrics.core.internal.write..",
            "dev.sqlitemetrics.core.internal.read..", "dev.sqlitemetrics.core.internal.forward.."};
    private static final String SQLITE = "dev.sqlitemetrics.core.internal.sqlite..";
    private static final String POSTGRES = "dev.sqlitemetrics.core.internal.postgres..";

    private static JavaClasses core;

    @BeforeAll
    static void importTheMainClasses() {
        core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(API);
    }

    @Test
    void theEngineKnowsNoStore() {
        noClasses().that().resideInAnyPackage(STORE_NEUTRAL)
                .should().dependOnClassesThat().resideInAnyPackage(SQLITE, POSTGRES)
                .because("the group-commit writer, the read side and the forwarding loop work on every store"
                        + " through their seams (BatchStore, ReadDialect, Outbox, Central)")
                .check(core);
    }

    @Test
    void theStoresKnowNothingOfEachOther() {
        noClasses().that().resideInAPackage(SQLITE).should().dependOnClassesThat().resideInAPackage(POSTGRES).check(core);
        noClasses().that().resideInAPackage(POSTGRES).should().dependOnClassesThat().resideInAPackage(SQLITE).check(core);
    }

    @Test
    void theApiReachesTheEngineOnlyThroughStores() {
        noClasses().that().resideInAPackage(API)
                .should().dependOnClassesThat(resideInAPackage("dev.sqlitemetrics.core.internal..")
                        .and(DescribedPredicate.not(type(Stores.class))))
                .check(core);
    }

    @Test
    void theApiPackageHoldsOnlyTheContract() {
        // Every top-level type of the API package is public: engine classes live under internal.
        classes().that().resideInAPackage(API).and().areTopLevelClasses()
                .should().haveModifier(JavaModifier.PUBLIC)
                .check(core);
    }

    @Test
    void onlyStoresAndTheSettingsLookAtWhichConfigTheyHold() {
        classes().that(DescribedPredicate.not(type(Stores.class)).and(DescribedPredicate.not(type(ConfigProperties.class)))
                        .and(DescribedPredicate.not(type(Setting.Store.class)))
                        .and(DescribedPredicate.not(resideInAnyPackage(SQLITE, POSTGRES))))
                .should(new ArchCondition<>("not test which store a config is for") {
                    @Override
                    public void check(JavaClass item, ConditionEvents events) {
                        item.getInstanceofChecks().stream()
                                .filter(check -> check.getRawType().isEquivalentTo(SqliteConfig.class)
                                        || check.getRawType().isEquivalentTo(PostgresConfig.class))
                                .forEach(check -> events.add(SimpleConditionEvent.violated(item,
                                        item.getName() + " tests instanceof " + check.getRawType().getSimpleName()
                                                + " at " + check.getSourceCodeLocation())));
                    }
                })
                .check(core);
    }
}
