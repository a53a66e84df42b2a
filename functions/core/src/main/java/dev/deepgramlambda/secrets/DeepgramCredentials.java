package dev.deepgramlambda.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The contents of the Deepgram secret. Either a bare key string, or JSON:
 * <pre>{"apiKey": "...", "fallbackApiKey": "...", "keyId": "...", "projectId": "...", "expiresAt": "2027-01-01T00:00:00Z"}</pre>
 * Only {@code apiKey} is required; unknown fields are ignored so rotation can add its own.
 * {@code expiresAt} may be an instant, a date-time with offset or a plain date (midnight UTC); a
 * value that is none of these is ignored rather than failing the whole secret, since transcription
 * does not need it.
 */
public record DeepgramCredentials(
        String apiKey,
        Optional<String> fallbackApiKey,
        Optional<String> keyId,
        Optional<String> projectId,
        Optional<Instant> expiresAt) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public DeepgramCredentials {
        if (apiKey == null || apiKey.isBlank()) {
            throw new SecretFormatException("the secret holds no API key");
        }
    }

    public static DeepgramCredentials ofKey(String apiKey) {
        return new DeepgramCredentials(apiKey, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Parses a secret string; the error message never contains the secret itself. */
    public static DeepgramCredentials parse(String secretString) {
        if (secretString == null || secretString.isBlank()) {
            throw new SecretFormatException("the secret is empty");
        }
        String trimmed = secretString.trim();
        if (!trimmed.startsWith("{")) {
            if (trimmed.chars().anyMatch(Character::isWhitespace)) {
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
        return new DeepgramCredentials(
                text(json, "apiKey").orElseThrow(() -> new SecretFormatException("the secret JSON has no \"apiKey\" string")),
                text(json, "fallbackApiKey"),
                text(json, "keyId"),
                text(json, "projectId"),
                text(json, "expiresAt").flatMap(DeepgramCredentials::instant));
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
