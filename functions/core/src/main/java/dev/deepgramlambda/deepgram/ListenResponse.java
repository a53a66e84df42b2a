package dev.deepgramlambda.deepgram;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/** Deepgram's answer to {@code /v1/listen}: the exact body, and the parsed tree for reading it. */
public record ListenResponse(String body, JsonNode json) {

    public Optional<String> requestId() {
        return text(json.path("metadata").path("request_id"));
    }

    /** Audio length in seconds, from {@code metadata.duration}. */
    public OptionalDouble durationSeconds() {
        JsonNode duration = json.path("metadata").path("duration");
        return duration.isNumber() ? OptionalDouble.of(duration.asDouble()) : OptionalDouble.empty();
    }

    /** Model names ({@code metadata.model_info.*.name}), falling back to the model ids. */
    public List<String> models() {
        List<String> names = new ArrayList<>();
        json.path("metadata").path("model_info").forEach(info -> text(info.path("name")).ifPresent(names::add));
        if (names.isEmpty()) {
            json.path("metadata").path("models").forEach(id -> text(id).ifPresent(names::add));
        }
        return names;
    }

    private static Optional<String> text(JsonNode node) {
        return node.isTextual() ? Optional.of(node.asText()) : Optional.empty();
    }
}
