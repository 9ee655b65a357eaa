package dev.sqlitemetrics.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reliability scenarios 26-28 (docs/reliability.md): rejected before any SQL, nothing written, recorder still usable. */
class BadInputTest {
    @TempDir
    Path dir;
    private MetricsRecorder recorder;

    @BeforeEach
    void open() {
        recorder = MetricsRecorder.open(SqliteConfig.builder(dir.resolve("metrics.db")).maxMessageBytes(1024).build());
    }

    @AfterEach
    void close() throws Exception {
        recorder.close();
    }

    @Test
    void rejectsNullMessageNamingIt() {
        assertThatThrownBy(() -> recorder.record((String) null)).isInstanceOf(NullPointerException.class).hasMessage("msg");
        assertThatThrownBy(() -> recorder.recordAsync((String) null)).isInstanceOf(NullPointerException.class).hasMessage("msg");
        assertThatThrownBy(() -> recorder.recordCompletion(null)).isInstanceOf(NullPointerException.class).hasMessage("completion");
        assertNothingWrittenAndStillUsable();
    }

    @Test
    void rejectsNullCompletionFieldsNamingThem() {
        assertThatThrownBy(() -> Completion.builder(null, Outcome.FAILED)).hasMessage("task");
        assertThatThrownBy(() -> Completion.builder("t", null)).hasMessage("outcome");
        assertThatThrownBy(() -> Completion.builder("t", Outcome.FAILED).attribute("k", null)).hasMessage("attributes value of 'k'");
        assertThatThrownBy(() -> Completion.builder("t", Outcome.FAILED).attribute(null, "v")).hasMessage("attributes key");
        assertThatThrownBy(() -> Completion.builder("", Outcome.FAILED).build()).hasMessage("task must not be empty, was ''");
        assertThatThrownBy(() -> Completion.builder("t", Outcome.FAILED).duration(Duration.ofMillis(-5)).build())
                .hasMessage("duration must not be negative, was -5ms");
        // 300 years overflowed the nanosecond conversion inside record(); it is refused when built.
        assertThatThrownBy(() -> Completion.builder("t", Outcome.FAILED).duration(Duration.ofDays(300 * 365L)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duration must be at most 3153600000s (36500 days), was 9460800000s");
        assertThatThrownBy(() -> Completion.builder("t", Outcome.FAILED).duration(Duration.ofSeconds(Long.MAX_VALUE)).build())
                .hasMessage("duration must be at most 3153600000s (36500 days), was 9223372036854775807s");
    }

    @Test
    void rejectsLoneAndReversedSurrogates() {
        assertThatThrownBy(() -> recorder.record("lone \uD800 high")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("msg must be well-formed UTF-16, was a lone surrogate \\uD800 at index 5");
        assertThatThrownBy(() -> recorder.record("\uDC00")).hasMessage("msg must be well-formed UTF-16, was a lone surrogate \\uDC00 at index 0");
        assertThatThrownBy(() -> recorder.record("reversed \uDE80\uD83D")).hasMessage(
                "msg must be well-formed UTF-16, was a lone surrogate \\uDE80 at index 9");
        assertThatThrownBy(() -> recorder.record("ends high \uD83D")).hasMessage(
                "msg must be well-formed UTF-16, was a lone surrogate \\uD83D at index 10");
        assertThatThrownBy(() -> recorder.recordCompletion(Completion.builder("t", Outcome.SUCCEEDED).attribute("k\uD800", "v").build()))
                .hasMessage("attributes key must be well-formed UTF-16, was a lone surrogate \\uD800 at index 1");
        assertNothingWrittenAndStillUsable();
    }

    @Test
    void rejectsPayloadsOverTheLimitWithoutEncodingThem() {
        assertThatThrownBy(() -> recorder.record("x".repeat(1025))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("msg must be at most 1024 bytes as UTF-8 (maxMessageBytes), was at least 1025 bytes");
        // 400 three-byte characters: 400 chars but 1200 bytes.
        assertThatThrownBy(() -> recorder.record("\u20AC".repeat(400)))
                .hasMessage("msg must be at most 1024 bytes as UTF-8 (maxMessageBytes), was 1200 bytes");
        assertThatThrownBy(() -> recorder.record("y".repeat(10 * 1024 * 1024)))
                .hasMessage("msg must be at most 1024 bytes as UTF-8 (maxMessageBytes), was at least 10485760 bytes");
        assertThatThrownBy(() -> recorder.recordCompletion(Completion.builder("t", Outcome.SUCCEEDED).attribute("k", "v".repeat(1000))
                .message("m".repeat(100)).build()))
                .hasMessage("attributes value of 'k' must be at most 1024 bytes as UTF-8 (maxMessageBytes), was at least 1102 bytes");
        assertThat(recorder.record("z".repeat(1024))).isNotNull();
        assertThat(recorder.count()).isEqualTo(1);
    }

    @Test
    void rejectsAGigabytePayloadWithoutRunningOutOfMemory() {
        // A 1 GB message is only an allocation away; the check must look at the length, not encode it.
        String huge = "a".repeat(1 << 30);
        assertThatThrownBy(() -> recorder.record(huge)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("msg must be at most 1024 bytes");
    }

    private void assertNothingWrittenAndStillUsable() {
        assertThat(recorder.count()).isZero();
        recorder.record("after");
        assertThat(recorder.count()).isEqualTo(1);
    }
}
