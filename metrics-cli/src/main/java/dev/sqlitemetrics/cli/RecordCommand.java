package dev.sqlitemetrics.cli;

import dev.sqlitemetrics.testkit.internal.cli.DurationConverter;
import dev.sqlitemetrics.core.Completion;
import dev.sqlitemetrics.core.MetricsException;
import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.Outcome;
import dev.sqlitemetrics.core.WriteOutcome;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** {@code record}: one completion, durably committed before the exit. */
@Command(name = "record", mixinStandardHelpOptions = true,
        description = {"Records one completion and exits 0 only once it is durably committed.",
                "Exit 3: not written, safe to retry. Exit 4: outcome unknown (record again with the same --id,"
                        + " which the store keeps at most once). Exit 5: not written, and retrying cannot help until"
                        + " the configuration, permissions or table is fixed."})
final class RecordCommand extends StoreCommand {

    @Option(names = "--task", paramLabel = "T", description = "The task that finished.")
    String task;

    @Option(names = "--outcome", paramLabel = "OUTCOME",
            description = "How it ended: ${COMPLETION-CANDIDATES} (default: SUCCEEDED; needs --task).")
    Outcome outcome;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long it took: 250ms, 1.5s, 10m, 2h (needs --task).")
    Duration duration;

    @Option(names = "--attr", paramLabel = "KEY=VALUE", description = "An attribute; repeat for more (needs --task).")
    Map<String, String> attributes = new LinkedHashMap<>();

    @Option(names = "--id", paramLabel = "UUID",
            description = "The record's id (default: a new one; needs --task). Give the same id again to settle an"
                    + " unknown outcome: the store keeps one row per id.")
    UUID id;

    @Option(names = "--at", paramLabel = "TIME",
            description = "When the task ended, to record it after the fact: 2026-12-05T07:12:00Z, or with an offset"
                    + " such as +01:00 (default: now; needs --task).")
    java.time.OffsetDateTime at;

    @Parameters(arity = "0..1", paramLabel = "MESSAGE", description = "The message (required without --task).")
    String message;

    @Override
    public Integer call() {
        if (task == null && (outcome != null || duration != null || !attributes.isEmpty() || id != null || at != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--outcome, --duration, --attr, --id and --at need --task");
        }
        if (task == null && message == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give a MESSAGE, or --task");
        }
        Completion completion = null;
        if (task != null) {
            try {
                Completion.Builder builder = Completion.builder(task, outcome != null ? outcome : Outcome.SUCCEEDED);
                attributes.forEach(builder::attribute);
                if (duration != null) {
                    builder.duration(duration);
                }
                if (id != null) {
                    builder.id(id);
                }
                if (at != null) {
                    builder.endedAt(at.toInstant());
                }
                if (message != null) {
                    builder.message(message);
                }
                completion = builder.build();
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        try (MetricsRecorder recorder = MetricsRecorder.open(store.config())) {
            UUID recorded = completion != null ? recorder.recordCompletion(completion) : recorder.record(message);
            spec.commandLine().getOut().println(recorded);
            spec.commandLine().getOut().flush();
            return ExitCodes.DONE;
        } catch (MetricsException e) {
            if (e.outcome() == WriteOutcome.UNKNOWN) {
                spec.commandLine().getErr().println("outcome unknown: " + e.getMessage());
                return ExitCodes.UNKNOWN;
            }
            if (!e.isRetryable()) {
                spec.commandLine().getErr().println("not written, and trying again will not help: " + e.getMessage());
                return ExitCodes.PERMANENT;
            }
            spec.commandLine().getErr().println("not written: " + e.getMessage());
            return ExitCodes.NOT_WRITTEN;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
