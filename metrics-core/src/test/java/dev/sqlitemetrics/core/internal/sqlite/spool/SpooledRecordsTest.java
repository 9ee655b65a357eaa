package dev.sqlitemetrics.core.internal.sqlite.spool;

import dev.sqlitemetrics.core.internal.write.PendingRecord;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class SpooledRecordsTest {
    @Test
    void aRecordComesBackWithEveryColumnAndItsProcess() {
        PendingRecord record = new PendingRecord(UUID.randomUUID(), 1_764_000_000_123L, "job done ✓", "export",
                "OK", 12.5, "{\"rows\":3}", 4_194_301L, null, false, 0);
        assertThat(SpooledRecords.decode(SpooledRecords.encode(record))).isEqualTo(record);
    }

    @Test
    void absentColumnsStayAbsent() {
        PendingRecord record = new PendingRecord(UUID.randomUUID(), 0, "", null, null, null, null, 7L, null, false, 0);
        assertThat(SpooledRecords.decode(SpooledRecords.encode(record))).isEqualTo(record);
    }

    @Test
    void aRecordLargerThanASlotIsNotSpooled() {
        PendingRecord record = new PendingRecord(UUID.randomUUID(), 0, "x".repeat(SharedSpool.PAYLOAD_BYTES), null,
                null, null, null, 7L, null, false, 0);
        assertThat(SpooledRecords.encode(record)).isNull();
    }
}
