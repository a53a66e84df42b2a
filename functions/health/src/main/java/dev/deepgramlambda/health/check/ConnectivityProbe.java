package dev.deepgramlambda.health.check;

import dev.deepgramlambda.deepgram.ApiKey;
import dev.deepgramlambda.deepgram.CallStats;
import dev.deepgramlambda.deepgram.DeepgramClient;
import dev.deepgramlambda.deepgram.DeepgramException;
import dev.deepgramlambda.logging.JsonLog;
import dev.deepgramlambda.secrets.DeepgramCredentials;
import dev.deepgramlambda.secrets.SecretCache;
import dev.deepgramlambda.secrets.SecretFormatException;
import dev.deepgramlambda.secrets.SecretUnavailableException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the key the way transcription does (the same cached secret) and calls Deepgram's cheapest
 * authenticated endpoint with it. A 401 gets the same recovery transcription gets (re-read the
 * secret, then the fallback key), so a key rotated under a warm container does not page anyone,
 * while a primary key that only survives through the fallback shows up as degraded.
 */
final class ConnectivityProbe {
    static final String PATH = "/v1/projects";
    static final String SECRET_READ = "Deepgram secret read";
    static final String NO_KEY = "no API key to test";

    private final SecretCache secrets;
    private final DeepgramClient deepgram;
    private final CheckSettings settings;
    private final JsonLog log = JsonLog.named("HealthCheck");

    /** @param credentials what the secret held after the call, absent when it could not be read */
    record Result(CheckResult secret, CheckResult deepgram, Optional<DeepgramCredentials> credentials) {}

    ConnectivityProbe(SecretCache secrets, DeepgramClient deepgram, CheckSettings settings) {
        this.secrets = secrets;
        this.deepgram = deepgram;
        this.settings = settings;
    }

    Result probe() {
        try {
            secrets.credentials();
        } catch (SecretFormatException e) {
            log.warn("The Deepgram secret is malformed", Map.of("secretId", secrets.secretId(), "reason", e.getMessage()));
            return withoutKey(e.getMessage());
        } catch (SecretUnavailableException e) {
            log.warn("Cannot read the Deepgram secret", Map.of("secretId", secrets.secretId(), "reason", e.getMessage()));
            String cause = e.getCause() == null ? "unknown error" : e.getCause().getClass().getSimpleName();
            return withoutKey("cannot read the Deepgram secret (" + cause + ")");
        }
        CheckResult secretRead = CheckResult.of(Status.HEALTHY, SECRET_READ);
        CallStats stats = new CallStats();
        long started = System.nanoTime();
        CheckResult connectivity;
        try {
            deepgram.send("GET", PATH, null, secrets, settings.timeout(), stats);
            connectivity = answered(Duration.ofNanos(System.nanoTime() - started), stats.keySlot(), 200);
        } catch (DeepgramException e) {
            Duration latency = Duration.ofNanos(System.nanoTime() - started);
            // 403 means Deepgram authenticated the key and found it may not list projects: the
            // minimal-scope (usage:write) keys that rotation creates can still transcribe.
            connectivity = e.kind() == DeepgramException.Kind.FORBIDDEN
                    ? answered(latency, stats.keySlot(), 403)
                    : DeepgramFailure.describe(e, latency, settings.timeout());
        }
        // Read again: a 401 may have made the cache load a rotated secret with another key id.
        return new Result(secretRead, connectivity, Optional.of(secrets.credentials()));
    }

    private CheckResult answered(Duration latency, ApiKey.Slot slot, int httpStatus) {
        if (slot == ApiKey.Slot.FALLBACK) {
            return CheckResult.answered(Status.DEGRADED,
                    "Deepgram rejected the primary API key (HTTP 401); the fallback key works", latency, httpStatus);
        }
        String answer = "GET " + PATH + " answered" + (httpStatus == 403 ? " 403 (a valid key without project:read)" : "");
        long threshold = settings.degradedAfter().toMillis();
        if (latency.compareTo(settings.degradedAfter()) > 0) {
            return CheckResult.answered(Status.DEGRADED, answer + ", but slower than " + threshold + " ms", latency, httpStatus);
        }
        return CheckResult.answered(Status.HEALTHY, answer + " within " + threshold + " ms", latency, httpStatus);
    }

    private static Result withoutKey(String reason) {
        return new Result(CheckResult.of(Status.UNHEALTHY, reason), CheckResult.of(Status.SKIPPED, NO_KEY), Optional.empty());
    }
}
