package dev.sqlitemetrics.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 2, checks 2 and 5: real child JVMs released at one barrier. */
class ChildProcessesIT {
    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void fourJvmsOfSixtyFourThreadsLoseNothing() throws Exception {
        Path db = dir.resolve("metrics.db");
        try (MetricsRecorder creator = MetricsRecorder.open(db)) {
            creator.count();
        }
        List<List<String>> outputs = ChildJvms.start(4, db, 64, 5, false).goAndWait(240);
        assertEveryAcknowledgedIdPresentOnce(db, outputs, 4 * 64 * 5);
    }

    @Test
    @Timeout(300)
    void eightJvmsOpeningAMissingFileAtOnceAllSucceedWithOneSchema() throws Exception {
        Path db = dir.resolve("new.db");
        assertThat(db).doesNotExist();
        List<List<String>> outputs = ChildJvms.start(8, db, 4, 2, true).goAndWait(240);
        assertEveryAcknowledgedIdPresentOnce(db, outputs, 8 * 4 * 2);
        assertThat(Db.query(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'")).isEqualTo("1");
        assertThat(Db.query(db, "PRAGMA journal_mode")).isEqualTo("wal");
    }

    private static void assertEveryAcknowledgedIdPresentOnce(Path db, List<List<String>> outputs, int expected)
            throws Exception {
        List<String> acknowledged = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (List<String> lines : outputs) {
            for (String line : lines) {
                if (line.startsWith("OK ")) {
                    acknowledged.add(line.substring(3));
                } else if (line.startsWith("FAIL ")) {
                    failed.add(line);
                }
            }
        }
        assertThat(failed).isEmpty();
        assertThat(acknowledged).hasSize(expected).doesNotHaveDuplicates();
        Map<String, Integer> present = Db.idCounts(db);
        acknowledged.forEach(id -> assertThat(present).containsEntry(id, 1));
        assertThat(present).hasSize(expected);
        assertThat(Db.integrityCheck(db)).isEqualTo("ok");
    }
}
