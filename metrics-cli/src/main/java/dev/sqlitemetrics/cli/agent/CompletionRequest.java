package dev.sqlitemetrics.cli.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sqlitemetrics.core.Completion;
import dev.sqlitemetrics.core.Outcome;

import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * One record as a client posts it: {@code {"msg", "task", "outcome", "durationMs", "attributes", "id"}},
 * every field optional but at least {@code msg} or {@code task}. A record with a task is a completion
 * (outcome SUCCEEDED unless given); one with only a message is a plain message, which takes no id.
 */
record CompletionRequest(String msg, Completion completion) {

    /** The record {@code json} asks for. @throws IllegalArgumentException saying what is wrong with it */
    static CompletionRequest of(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("a record is a JSON object, was " + (json == null ? "nothing" : json.getNodeType()));
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!java.util.Set.of("msg", "task", "outcome", "durationMs", "attributes", "id").contains(name)) {
                throw new IllegalArgumentException("unknown field " + name + " (fields: msg, task, outcome, durationMs,"
                        + " attributes, id)");
            }
        }
        String msg = text(json, "msg");
        String task = text(json, "task");
        if (task == null) {
            if (msg == null) {
                throw new IllegalArgumentException("give msg or task");
            }
            for (String field : new String[] {"outcome", "durationMs", "attributes", "id"}) {
                if (json.hasNonNull(field)) {
                    throw new IllegalArgumentException(field + " needs task");
                }
            }
            return new CompletionRequest(msg, null);
        }
        String outcomeText = text(json, "outcome");
        Outcome outcome;
        try {
            outcome = outcomeText == null ? Outcome.SUCCEEDED : Outcome.valueOf(outcomeText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("outcome must be one of SUCCEEDED, FAILED, CANCELLED, SKIPPED, was " + outcomeText);
        }
        Completion.Builder builder = Completion.builder(task, outcome);
        if (msg != null) {
            builder.message(msg);
        }
        JsonNode duration = json.get("durationMs");
        if (duration != null && !duration.isNull()) {
            if (!duration.isNumber()) {
                throw new IllegalArgumentException("durationMs must be a number of milliseconds, was " + duration);
            }
            builder.duration(Duration.ofNanos(Math.round(duration.asDouble() * 1_000_000)));
        }
        JsonNode attributes = json.get("attributes");
        if (attributes != null && !attributes.isNull()) {
            if (!attributes.isObject()) {
                throw new IllegalArgumentException("attributes must be an object of strings, was " + attributes.getNodeType());
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = attributes.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> attribute = fields.next();
                if (!attribute.getValue().isTextual()) {
                    throw new IllegalArgumentException("attribute " + attribute.getKey() + " must be a string, was "
                            + attribute.getValue().getNodeType());
                }
                builder.attribute(attribute.getKey(), attribute.getValue().asText());
            }
        }
        String id = text(json, "id");
        if (id != null) {
            try {
                builder.id(UUID.fromString(id));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("id must be a UUID, was " + id);
            }
        }
        return new CompletionRequest(null, builder.build());
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string, was " + value.getNodeType());
        }
        return value.asText();
    }
}
