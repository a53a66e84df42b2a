package dev.deepgramlambda.health.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepgramlambda.deepgram.ApiKey;
import dev.deepgramlambda.deepgram.DeepgramClient;
import dev.deepgramlambda.deepgram.DeepgramException;
import dev.deepgramlambda.logging.JsonLog;
import dev.deepgramlambda.secrets.DeepgramCredentials;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * When the current API key expires. Deepgram's own {@code expiration_date} is what Deepgram
 * enforces, so it wins; it needs the key to hold {@code keys:read}, which a minimal transcription
 * key may not, so the secret's {@code expiresAt} (written by key rotation) is the fallback.
 *
 * <p>A key's expiry is fixed when the key is created, so Deepgram is asked once per key id and
 * container; a failed lookup is retried after {@link #RETRY_AFTER_FAILURE}, not on every run.
 */
final class KeyExpiry {
    static final Duration RETRY_AFTER_FAILURE = Duration.ofHours(1);

    private final DeepgramClient deepgram;
    private final Duration timeout;
    private final Clock clock;
    private final JsonLog log = JsonLog.named("HealthCheck");

    /** Warm-container state: Deepgram's answer for the last key id looked up. */
    private Lookup last;

    /** @param retryAt when to ask again; null once Deepgram has answered, since the answer cannot change */
    private record Lookup(String keyId, Optional<Instant> expiresAt, Instant retryAt) {
        boolean answered() {
            return retryAt == null;
        }

        boolean current(String id, Instant now) {
            return keyId.equals(id) && (answered() || now.isBefore(retryAt));
        }
    }

    KeyExpiry(DeepgramClient deepgram, Duration timeout, Clock clock) {
        this.deepgram = deepgram;
        this.timeout = timeout;
        this.clock = clock;
    }

    /**
     * @param deepgramReachable false when the connectivity check just failed: asking again would
     *                          only fail the same way and lengthen the run
     */
    Optional<Instant> expiresAt(DeepgramCredentials credentials, boolean deepgramReachable) {
        if (credentials.keyId().isEmpty() || credentials.projectId().isEmpty()) {
            return credentials.expiresAt();
        }
        String keyId = credentials.keyId().get();
        Instant now = clock.instant();
        if (deepgramReachable && (last == null || !last.current(keyId, now))) {
            last = lookUp(credentials, keyId, now);
        }
        boolean deepgramAnswered = last != null && last.keyId().equals(keyId) && last.answered();
        return deepgramAnswered ? last.expiresAt() : credentials.expiresAt();
    }

    private Lookup lookUp(DeepgramCredentials credentials, String keyId, Instant now) {
        String path = "/v1/projects/" + segment(credentials.projectId().get()) + "/keys/" + segment(keyId);
        try {
            JsonNode answer = deepgram.send("GET", path, null, new ApiKey(credentials.apiKey(), ApiKey.Slot.PRIMARY), timeout);
            return new Lookup(keyId, expirationDate(answer), null);
        } catch (DeepgramException | DateTimeParseException e) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("keyId", keyId);
            fields.put("reason", e.getMessage());
            fields.put("retryInSeconds", RETRY_AFTER_FAILURE.toSeconds());
            log.warn("Cannot read the API key's expiry from Deepgram; using the secret's expiresAt", fields);
            return new Lookup(keyId, Optional.empty(), now.plus(RETRY_AFTER_FAILURE));
        }
    }

    /**
     * The documented answer is {@code {"item": {"member": {"api_key": {...}}}}}; older SDKs read
     * {@code {"member": ..., "api_key": {...}}}. Both are accepted. No date means the key never expires,
     * and then no expiry is reported even if the secret claims one: Deepgram is what enforces it.
     */
    static Optional<Instant> expirationDate(JsonNode answer) {
        JsonNode current = answer.path("item").path("member").path("api_key").path("expiration_date");
        JsonNode date = current.isTextual() ? current : answer.path("api_key").path("expiration_date");
        return date.isTextual() && !date.asText().isBlank()
                ? Optional.of(OffsetDateTime.parse(date.asText()).toInstant())
                : Optional.empty();
    }

    private static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
