package dev.sqlitemetrics.testkit;

import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.testkit.internal.ledger.FaultCampaign;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every recorder of the {@link MisbehavingRecorders} catalogue fails the verdict, with a message that
 * says what was wrong, in threads, in child JVMs and (where a crash campaign can see it) in a kill
 * campaign; the honest recorder passes all three.
 */
class MisbehavingRecorderIT {
    @TempDir
    Path dir;

    /** (the factory, what the level's violations must say) */
    static Stream<Arguments> contention() {
        return Stream.of(
                Arguments.of(new MisbehavingRecorders.WritesElsewhere(), "lost > maxLost"),
                Arguments.of(new MisbehavingRecorders.FlushesInClose(), "during close()"),
                Arguments.of(new MisbehavingRecorders.AnonymousCopies(), "rows without an id changed"),
                Arguments.of(new MisbehavingRecorders.InventsRows(), "rows without an id changed"),
                Arguments.of(new MisbehavingRecorders.DeletesForeignRows(), "rows without an id changed: 20 before"),
                Arguments.of(new MisbehavingRecorders.AltersText(), "rows hold other content"),
                Arguments.of(new MisbehavingRecorders.UpperCaseCopies(), "was never attempted"),
                Arguments.of(new MisbehavingRecorders.OkThenFail(), "lost > maxLost"),
                Arguments.of(new MisbehavingRecorders.UnknownToEverything(), "of unknown outcome > maxUnknown 0"),
                Arguments.of(new MisbehavingRecorders.NotWrittenButWrites(), "reported not written but present"),
                Arguments.of(new MisbehavingRecorders.LosesOneInHundred(), "2 lost > maxLost 0"),
                Arguments.of(new MisbehavingRecorders.LosesEachWritersLast(), "lost > maxLost"),
                Arguments.of(new MisbehavingRecorders.DuplicatesWithNewId(), "was never attempted"),
                Arguments.of(new MisbehavingRecorders.SleepsInOnePercent(), "slowest call"));
    }

    /** (the factory, what the level's violations must say) for recorders that misbehave in the other call forms. */
    static Stream<Arguments> calls() {
        return Stream.of(
                Arguments.of(new MisbehavingCalls.PlainRecordLosesOneInTen(), "lost > maxLost"),
                Arguments.of(new MisbehavingCalls.PlainRecordReturnsAnotherId(), "was never attempted"),
                Arguments.of(new MisbehavingCalls.AsyncAcknowledgesBeforeCommit(), "lost > maxLost"),
                Arguments.of(new MisbehavingCalls.AsyncReportsNotWrittenButWritesLater(), "reported not written but present"),
                Arguments.of(new MisbehavingCalls.BackdatesEveryRow(), "rows hold a time outside their call"),
                Arguments.of(new MisbehavingCalls.TruncatesTimeToSeconds(), "rows hold a time outside their call"),
                Arguments.of(new MisbehavingCalls.DropsDurationAndAttributes(), "rows hold other content"),
                Arguments.of(new MisbehavingCalls.StoresDurationInSeconds(), "rows hold other content"),
                Arguments.of(new MisbehavingCalls.TruncatesMessages(), "rows hold other content"));
    }

    /**
     * 200 calls per level: 4 writers x 50 records over 20 rows another client wrote first, every call
     * {@code recordCompletion}, where the first part of the catalogue misbehaves.
     */
    private static Scenario scenario(int processes) {
        return Scenario.builder().writerCounts(4).recordsPerWriter(50).processes(processes).prefillRows(20)
                .thresholds(new Thresholds(1_000, 0, null).withMaxLatency(Duration.ofSeconds(1)))
                .levelTimeout(Duration.ofSeconds(60)).calls(Calls.COMPLETION).build();
    }

    @ParameterizedTest(name = "{0} in threads")
    @MethodSource("calls")
    @Timeout(120)
    void aCallFormThatMisbehavesFailsTheVerdictInThreads(RecorderFactory factory, String expected) {
        assertFails(run(factory, 0, Calls.MIX), expected, factory);
    }

    @ParameterizedTest(name = "{0} in child JVMs")
    @MethodSource("calls")
    @Timeout(120)
    void aCallFormThatMisbehavesFailsTheVerdictInChildJvms(RecorderFactory factory, String expected) {
        assertFails(run(factory, 2, Calls.MIX), expected, factory);
    }

    @ParameterizedTest(name = "{0} in threads")
    @MethodSource("contention")
    @Timeout(120)
    void failsTheVerdictInThreads(RecorderFactory factory, String expected) {
        assertFails(run(factory, 0), expected, factory);
    }

    @ParameterizedTest(name = "{0} in child JVMs")
    @MethodSource("contention")
    @Timeout(120)
    void failsTheVerdictInChildJvms(RecorderFactory factory, String expected) {
        assertFails(run(factory, 2), expected, factory);
    }

    static Stream<Arguments> campaign() {
        return Stream.of(
                Arguments.of(new MisbehavingRecorders.WritesElsewhere(), "I1 acknowledged"),
                Arguments.of(new MisbehavingRecorders.AnonymousCopies(), "I2 rows without an id changed"),
                Arguments.of(new MisbehavingRecorders.InventsRows(), "I2 rows without an id changed"),
                Arguments.of(new MisbehavingRecorders.AltersText(), "holds other content than was asked for"),
                Arguments.of(new MisbehavingRecorders.UpperCaseCopies(), "was never invoked"),
                // Its forged ledger lines go to standard error, apart from the ledger: what it did is seen as I1.
                Arguments.of(new MisbehavingRecorders.OkThenFail(), "I1 acknowledged"),
                Arguments.of(new MisbehavingRecorders.UnknownToEverything(), "a surviving writer saw UNKNOWN"),
                Arguments.of(new MisbehavingRecorders.NotWrittenButWrites(), "I3 "),
                Arguments.of(new MisbehavingRecorders.LosesOneInHundred(), "I1 acknowledged"),
                Arguments.of(new MisbehavingRecorders.DuplicatesWithNewId(), "was never invoked"),
                Arguments.of(new MisbehavingCalls.AsyncAcknowledgesBeforeCommit(), "I1 acknowledged"),
                Arguments.of(new MisbehavingCalls.DropsDurationAndAttributes(), "holds other content than was asked for"),
                Arguments.of(new MisbehavingCalls.StoresDurationInSeconds(), "holds other content than was asked for"),
                Arguments.of(new MisbehavingCalls.TruncatesMessages(), "holds other content than was asked for"));
    }

    @ParameterizedTest(name = "{0} in a kill campaign")
    @MethodSource("campaign")
    @Timeout(180)
    void failsAKillCampaign(RecorderFactory factory, String expected) throws Exception {
        FaultCampaign.Result result = campaign(factory);
        assertThat(result.passed()).as("%s", result).isFalse();
        assertThat(result.violations()).as("%s", result).anyMatch(violation -> violation.contains(expected));
    }

    @Test
    @Timeout(300)
    void theHonestRecorderPassesInThreadsInChildJvmsAndInAKillCampaign() throws Exception {
        RecorderFactory honest = new MisbehavingRecorders.Honest();
        for (int processes : new int[] {0, 2}) {
            for (Calls calls : Calls.values()) {
                ContentionReport report = run(honest, processes, calls);
                ContentionAssertions.assertThat(report).lostNothing().failedNothing().passed();
                assertThat(report.levels().get(0).acknowledged()).as("%s", calls).isEqualTo(200);
            }
        }
        FaultCampaign.Result result = campaign(honest);
        assertThat(result.violations()).as("%s", result).isEmpty();
    }

    @Test
    @Timeout(60)
    void aFactoryChildJvmsCannotCreateIsRefusedNotReplaced() {
        RecorderFactory lambda = config -> new MisbehavingRecorders.Honest().open(config);
        assertThatThrownBy(() -> ContentionRunner.of(scenario(2), SqliteConfig.defaults(dir.resolve("x.db")), dir)
                .withRecorderFactory(lambda).run())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("processes(2) runs the recorder in child JVMs, which create their own"
                        + " RecorderFactory by class name; this factory cannot be created that way: it is a lambda");
        assertThatThrownBy(() -> new FaultCampaign(SqliteConfig.defaults(dir.resolve("k.db")), 2, 1, 1, 1, line -> { },
                lambda)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("a kill campaign runs");
    }

    @Test
    @Timeout(120)
    void aWriterThatNeverReturnsEndsTheLevelAtItsTimeoutNamedWithItsStack() {
        Scenario hanging = scenario(0).toBuilder().levelTimeout(Duration.ofSeconds(3)).build();
        assertThatThrownBy(() -> ContentionRunner.of(hanging, SqliteConfig.defaults(dir.resolve("x.db")), dir)
                .withRecorderFactory(new MisbehavingRecorders.NeverReturns()).run())
                .isInstanceOf(ContentionHarnessException.class)
                .hasMessageContaining("1 of 4 writer threads still had not returned after 3s (the level timeout)")
                .hasMessageContaining("contention-writer-w4-")
                .hasMessageContaining("MisbehavingRecorders$NeverReturns");
    }

    @Test
    @Timeout(120)
    void aChildJvmWhoseWriterNeverReturnsIsNamedWithWhereItsThreadsAre() {
        Scenario hanging = scenario(2).toBuilder().levelTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> ContentionRunner.of(hanging, SqliteConfig.defaults(dir.resolve("x.db")), dir)
                .withRecorderFactory(new MisbehavingRecorders.NeverReturns()).run())
                .isInstanceOf(ContentionHarnessException.class)
                .hasMessageContaining("child JVM")
                .hasMessageContaining("MisbehavingRecorders$NeverReturns");
    }

    private ContentionReport run(RecorderFactory factory, int processes) {
        return run(factory, processes, Calls.COMPLETION);
    }

    private ContentionReport run(RecorderFactory factory, int processes, Calls calls) {
        Path work = dir.resolve(factory.getClass().getSimpleName() + "-" + processes + "-" + calls);
        return ContentionRunner.of(scenario(processes).toBuilder().calls(calls).build(),
                SqliteConfig.defaults(work.resolve("x.db")), work).withRecorderFactory(factory).run();
    }

    private FaultCampaign.Result campaign(RecorderFactory factory) throws Exception {
        SqliteConfig config = SqliteConfig.defaults(dir.resolve("campaign-" + factory.getClass().getSimpleName() + ".db"));
        return new FaultCampaign(config, 2, 2, 120, 20261201L, line -> { }, factory).run(1);
    }

    private static void assertFails(ContentionReport report, String expected, RecorderFactory factory) {
        assertThat(report.passed()).as("%s passed:%n%s", factory, report).isFalse();
        List<String> violations = report.levels().get(0).violations();
        assertThat(violations).as("%s", factory).anyMatch(violation -> violation.contains(expected));
        assertThatThrownBy(() -> ContentionAssertions.assertThat(report).passed()).isInstanceOf(AssertionError.class);
        if (!(factory instanceof MisbehavingRecorders.SleepsInOnePercent)) {
            assertThatThrownBy(() -> ContentionAssertions.assertThat(report).lostNothing())
                    .isInstanceOf(AssertionError.class);
        }
    }
}
