package dev.deepgramlambda.secrets;

import dev.deepgramlambda.deepgram.ApiKey;
import dev.deepgramlambda.deepgram.ApiKeys;
import dev.deepgramlambda.logging.JsonLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;

/**
 * The Deepgram secret, read from Secrets Manager at most once per TTL per container.
 *
 * <p>Stale-if-error: when a refresh fails (throttling, an outage, a malformed new value) the cached
 * credentials keep serving, a warning is logged, and the next refresh is tried after
 * {@link #STALE_RETRY_INTERVAL} rather than on every invocation.
 */
public final class SecretCache implements ApiKeys {
    static final Duration STALE_RETRY_INTERVAL = Duration.ofSeconds(60);

    private final SecretsManagerClient client;
    private final String secretId;
    private final Duration ttl;
    private final Clock clock;
    private final JsonLog log = JsonLog.named("SecretCache");

    /** Warm-container state: the last good read, reused across invocations until it expires. */
    private Cached cached;
    /**
     * Warm-container state: a primary key Deepgram rejected even after a fresh read of the secret.
     * Until the TTL passes, {@link #current()} serves the fallback key directly instead of sending
     * every request first with a key known to fail.
     */
    private Rejected rejectedPrimary;

    private record Rejected(String value, Instant until) {}

    private record Cached(DeepgramCredentials credentials, Instant expiresAt) {}

    public SecretCache(SecretsManagerClient client, String secretId, Duration ttl, Clock clock) {
        this.client = client;
        this.secretId = secretId;
        this.ttl = ttl;
        this.clock = clock;
    }

    public String secretId() {
        return secretId;
    }

    /**
     * The current credentials, from cache while fresh.
     *
     * @throws SecretUnavailableException when the secret cannot be read and nothing is cached
     */
    public synchronized DeepgramCredentials credentials() {
        Instant now = clock.instant();
        if (cached != null && now.isBefore(cached.expiresAt())) {
            return cached.credentials();
        }
        try {
            return load(now);
        } catch (RuntimeException e) {
            if (cached == null) {
                throw e instanceof SecretFormatException ? e : new SecretUnavailableException(secretId, e);
            }
            log.warn("Secret refresh failed; serving the cached key", Map.of(
                    "secretId", secretId, "error", e.getClass().getSimpleName(), "reason", String.valueOf(e.getMessage()),
                    "retryInSeconds", STALE_RETRY_INTERVAL.toSeconds()));
            cached = new Cached(cached.credentials(), now.plus(STALE_RETRY_INTERVAL));
            return cached.credentials();
        }
    }

    @Override
    public synchronized ApiKey current() {
        DeepgramCredentials credentials = credentials();
        if (isRejected(credentials.apiKey()) && credentials.fallbackApiKey().isPresent()) {
            return new ApiKey(credentials.fallbackApiKey().get(), ApiKey.Slot.FALLBACK);
        }
        return credentials.servingKey();
    }

    @Override
    public synchronized Optional<ApiKey> renewAfterRejection(ApiKey rejected) {
        try {
            Instant now = clock.instant();
            stillRejected(rejected);
            DeepgramCredentials fresh = load(now);
            boolean changed = fresh.apiKeyProblem().isEmpty() && !isRejected(fresh.apiKey());
            log.info("Re-read the secret after Deepgram rejected the key", Map.of("secretId", secretId, "keyChanged", changed));
            if (!changed) {
                return Optional.empty();
            }
            rejectedPrimary = null;
            return Optional.of(new ApiKey(fresh.apiKey(), ApiKey.Slot.PRIMARY));
        } catch (RuntimeException e) {
            log.warn("Re-reading the secret after a 401 failed", Map.of(
                    "secretId", secretId, "error", e.getClass().getSimpleName(), "reason", String.valueOf(e.getMessage())));
            return Optional.empty();
        }
    }

    /**
     * A primary key Deepgram rejected, also when it was the one a re-read just returned: until the
     * TTL passes the fallback serves first, instead of every call paying a 401 and a re-read again.
     */
    @Override
    public synchronized void stillRejected(ApiKey rejected) {
        if (rejected.slot() == ApiKey.Slot.PRIMARY) {
            rejectedPrimary = new Rejected(rejected.value(), clock.instant().plus(ttl));
        }
    }

    private boolean isRejected(String primaryKey) {
        return rejectedPrimary != null && rejectedPrimary.value().equals(primaryKey) && clock.instant().isBefore(rejectedPrimary.until());
    }

    @Override
    public Optional<ApiKey> fallback() {
        return credentials().fallbackApiKey().map(value -> new ApiKey(value, ApiKey.Slot.FALLBACK));
    }

    private DeepgramCredentials load(Instant now) {
        // AWSCURRENT is Secrets Manager's default; naming it keeps emulators that do not track the label
        // moved by a rotation's finishSecret (moto) in step with AWS.
        String secretString = client.getSecretValue(GetSecretValueRequest.builder()
                .secretId(secretId).versionStage("AWSCURRENT").build()).secretString();
        DeepgramCredentials credentials = DeepgramCredentials.parse(secretString);
        credentials.problems().forEach(problem -> log.warn("The Deepgram secret holds an unusable key", Map.of(
                "secretId", secretId, "problem", problem)));
        cached = new Cached(credentials, now.plus(ttl));
        return credentials;
    }
}
