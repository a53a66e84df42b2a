package dev.deepgramlambda.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepgramlambda.deepgram.ApiKey;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The contents of the Deepgram secret. Either a bare key string, or JSON:
 * <pre>{"apiKey": "...", "fallbackApiKey": "...", "keyId": "...", "projectId": "...", "expiresAt": "2027-01-01T00:00:00Z"}</pre>
 * Only {@code apiKey} is required; unknown fields are ignored so rotation can add its own.
 * {@code expiresAt} may be an instant, a date-time with offset or a plain date (midnight UTC); a
 * value that is none of these is ignored rather than failing the whole secret, since transcription
 * does not need it.
 *
 * <p>A key that an HTTP header cannot carry (a no-break space pasted from a console, say) is found
 * here, not by OkHttp on every request: an unusable fallback is dropped, an unusable primary is
 * served by the fallback, and only when neither works is the secret malformed. {@link #problems()}
 * says what was wrong without quoting any value, for the log.
 */
public record DeepgramCredentials(
        String apiKey,
        Optional<String> fallbackApiKey,
        Optional<String> keyId,
        Optional<String> projectId,
        Optional<Instant> expiresAt,
        List<String> problems) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public DeepgramCredentials {
        if (apiKey == null || apiKey.isBlank()) {
            throw new SecretFormatException("the secret holds no API key");
        }
        problems = List.copyOf(problems);
    }

    public static DeepgramCredentials ofKey(String apiKey) {
        ApiKey.headerProblem(apiKey).ifPresent(problem -> {
            throw new SecretFormatException("the API key " + problem);
        });
        return new DeepgramCredentials(apiKey, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of());
    }

    /** Why {@code apiKey} cannot be sent, when it cannot; the fallback then serves. */
    public Optional<String> apiKeyProblem() {
        return ApiKey.headerProblem(apiKey);
    }

    /** The key to send first: the primary, or the fallback when the primary cannot be sent at all. */
    public ApiKey servingKey() {
        return apiKeyProblem().isEmpty() ? new ApiKey(apiKey, ApiKey.Slot.PRIMARY)
                : new ApiKey(fallbackApiKey.orElseThrow(), ApiKey.Slot.FALLBACK);
    }

    /** Parses a secret string; the error message never contains the secret itself. */
    public static DeepgramCredentials parse(String secretString) {
        if (secretString == null || secretString.isBlank()) {
            throw new SecretFormatException("the secret is empty");
        }
        String trimmed = secretString.trim();
        if (!trimmed.startsWith("{")) {
            if (trimmed.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c))) {
                throw new SecretFormatException("a bare API key must not contain whitespace");
            }
            return ofKey(trimmed);
        }
        JsonNode json;
        try {
            json = JSON.readTree(trimmed);
        } catch (IOException e) {
            throw new SecretFormatException("the secret starts with '{' but is not valid JSON");
        }
        String apiKey = text(json, "apiKey").orElseThrow(() -> new SecretFormatException("the secret JSON has no \"apiKey\" string"));
        List<String> problems = new ArrayList<>();
        Optional<String> fallbackValue = text(json, "fallbackApiKey");
        Optional<String> fallbackProblem = fallbackValue.flatMap(ApiKey::headerProblem);
        fallbackProblem.ifPresent(problem -> problems.add("fallbackApiKey " + problem + "; it is ignored"));
        Optional<String> fallback = fallbackValue.filter(value -> fallbackProblem.isEmpty());
        Optional<String> apiKeyProblem = ApiKey.headerProblem(apiKey);
        if (apiKeyProblem.isPresent()) {
            if (fallback.isEmpty()) {
                throw new SecretFormatException("apiKey " + apiKeyProblem.get() + ", and there is no usable fallbackApiKey"
                        + (problems.isEmpty() ? "" : " (" + problems.get(0) + ")"));
            }
            problems.add("apiKey " + apiKeyProblem.get() + "; the fallbackApiKey serves instead");
        }
        return new DeepgramCredentials(
                apiKey,
                fallback,
                text(json, "keyId"),
                text(json, "projectId"),
                text(json, "expiresAt").flatMap(DeepgramCredentials::instant),
                problems);
    }

    private static Optional<String> text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node != null && node.isTextual() && !node.asText().isBlank() ? Optional.of(node.asText()) : Optional.empty();
    }

    private static Optional<Instant> instant(String raw) {
        try {
            return Optional.of(OffsetDateTime.parse(raw).toInstant());
        } catch (DateTimeParseException notADateTime) {
            try {
                return Optional.of(LocalDate.parse(raw).atStartOfDay(ZoneOffset.UTC).toInstant());
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    @Override
    public String toString() {
        return "DeepgramCredentials[keyId=" + keyId.orElse("?") + ", fallback=" + fallbackApiKey.isPresent() + "]";
    }
}
