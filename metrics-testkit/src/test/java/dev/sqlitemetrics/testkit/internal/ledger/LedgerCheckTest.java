package dev.sqlitemetrics.testkit.internal.ledger;

import dev.sqlitemetrics.core.Completion;
import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.Outcome;
import dev.sqlitemetrics.core.RecordIds;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.testkit.internal.run.RecordContent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The ledger check on hand-made accounts against a real file: every answer kept, ids by their exact text. */
class LedgerCheckTest {
    private static final String CONTENT = RecordContent.hash("m", "ledger", "SUCCEEDED");

    @TempDir
    Path dir;

    @Test
    void anOkLaterContradictedByAFailIsStillHeldToI1AndTheDoubleAnswerIsReported() throws Exception {
        SqliteConfig config = SqliteConfig.defaults(dir.resolve("ledger.db"));
        MetricsRecorder.open(config).close();
        String id = RecordIds.next().toString();
        Ledger ledger = new Ledger();
        ledger.add(LedgerEntry.invoked(id, CONTENT));
        ledger.add(LedgerEntry.answered(LedgerEntry.Kind.OK, id, null));
        ledger.add(LedgerEntry.answered(LedgerEntry.Kind.FAIL, id, "SQLITE_BUSY"));

        LedgerCheck check = LedgerCheck.verify(config, ledger, false);

        assertThat(check.ok()).isEqualTo(1);
        assertThat(check.violations()).containsExactly(
                "ledger: " + id + " was answered 2 times ([OK, FAIL]) for 1 call(s): a writer's account must hold one"
                        + " answer per call",
                "I1 acknowledged " + id + " is present 0 times");
    }

    @Test
    void aCopyUnderAnotherSpellingOfTheIdIsARowNeverInvoked() throws Exception {
        SqliteConfig config = SqliteConfig.defaults(dir.resolve("spelling.db"));
        UUID id = RecordIds.next();
        try (MetricsRecorder recorder = MetricsRecorder.open(config)) {
            recorder.recordCompletion(Completion.builder("ledger", Outcome.SUCCEEDED).id(id).message("m").build());
        }
        String upper = id.toString().toUpperCase(Locale.ROOT);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + config.path());
             Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO messages (id, msg, task, outcome) SELECT upper(id), msg, task, outcome"
                    + " FROM messages");
        }
        Ledger ledger = new Ledger();
        ledger.add(LedgerEntry.invoked(id.toString(), CONTENT));
        ledger.add(LedgerEntry.answered(LedgerEntry.Kind.OK, id.toString(), null));

        assertThat(LedgerCheck.verify(config, ledger, false).violations())
                .containsExactly("I2 row " + upper + " was never invoked");
    }

    @Test
    void anIdRecordedAgainAfterAnUnknownOutcomeMayHoldEitherContent() throws Exception {
        SqliteConfig config = SqliteConfig.defaults(dir.resolve("again.db"));
        UUID id = RecordIds.next();
        try (MetricsRecorder recorder = MetricsRecorder.open(config)) {
            recorder.recordCompletion(Completion.builder("ledger", Outcome.SUCCEEDED).id(id).message("again").build());
        }
        Ledger ledger = new Ledger();
        ledger.add(LedgerEntry.invoked(id.toString(), CONTENT));
        ledger.add(LedgerEntry.answered(LedgerEntry.Kind.UNKNOWN, id.toString(), "SQLITE_IOERR_FSYNC"));
        ledger.add(LedgerEntry.invoked(id.toString(), RecordContent.hash("again", "ledger", "SUCCEEDED")));
        ledger.add(LedgerEntry.answered(LedgerEntry.Kind.OK, id.toString(), null));

        assertThat(LedgerCheck.verify(config, ledger, false).violations()).isEmpty();
    }
}
