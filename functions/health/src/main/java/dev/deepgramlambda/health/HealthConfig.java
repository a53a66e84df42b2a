package dev.deepgramlambda.health;

import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.deepgram.DeepgramSettings;
import dev.deepgramlambda.health.check.CheckSettings;
import dev.deepgramlambda.metrics.MetricsPublisher;
import dev.deepgramlambda.secrets.SecretCache;
import java.net.URI;
import java.time.Duration;
import okhttp3.HttpUrl;

/**
 * The health function's configuration, read once per container from the environment and
 * validated as a whole. Variables, defaults and ranges are documented in {@code docs/health.md}.
 */
public record HealthConfig(String secretId, Duration secretCacheTtl, DeepgramSettings deepgram, CheckSettings checks,
                           MetricsPublisher metrics) {
    public static final String HEALTH_TIMEOUT_SECONDS = "HEALTH_TIMEOUT_SECONDS";
    public static final String HEALTH_DEGRADED_MILLIS = "HEALTH_DEGRADED_MILLIS";
    public static final String HEALTH_CACHE_SECONDS = "HEALTH_CACHE_SECONDS";
    public static final String DEEP_CHECK_INTERVAL_MINUTES = "DEEP_CHECK_INTERVAL_MINUTES";
    public static final String DEEPGRAM_MODEL = "DEEPGRAM_MODEL";
    static final String DEFAULT_MODEL = "nova-3";
    /**
     * The circuit breaker only guards the deep check's transcription; connectivity checks bypass it
     * because the canary must see Deepgram itself, not our memory of it.
     */
    private static final Duration CIRCUIT_OPEN = Duration.ofSeconds(30);

    /** @throws dev.deepgramlambda.config.ConfigException listing every problem, AWS settings read earlier from the same env included */
    public static HealthConfig from(Env env) {
        String secretId = env.required(SecretCache.DEEPGRAM_SECRET_ID);
        Duration secretCacheTtl = env.seconds(SecretCache.SECRET_CACHE_TTL_SECONDS, SecretCache.DEFAULT_TTL.toSeconds(), 0, 3600);
        URI baseUrl = env.httpUri(DeepgramSettings.DEEPGRAM_BASE_URL, DeepgramSettings.DEFAULT_BASE_URL);
        int problemsBefore = env.problemCount();
        Duration timeout = env.seconds(HEALTH_TIMEOUT_SECONDS, 5, 1, 30);
        Duration degradedAfter = env.millis(HEALTH_DEGRADED_MILLIS, 2000, 1, 30_000);
        if (env.problemCount() == problemsBefore && degradedAfter.compareTo(timeout) >= 0) {
            env.problem(HEALTH_DEGRADED_MILLIS + " (" + degradedAfter.toMillis() + ") must be below " + HEALTH_TIMEOUT_SECONDS
                    + " (" + timeout.toMillis() + " ms), or a slow answer times out before it can count as degraded");
        }
        Duration cacheFor = env.seconds(HEALTH_CACHE_SECONDS, 30, 1, 3600);
        Duration deepCheckEvery = Duration.ofMinutes(env.longValue(DEEP_CHECK_INTERVAL_MINUTES, 0, 0, 1440));
        String model = env.string(DEEPGRAM_MODEL, DEFAULT_MODEL);
        MetricsPublisher metrics = MetricsPublisher.from(env);
        env.validate();
        // One attempt: a canary that retried would hide the failures it exists to report.
        DeepgramSettings deepgram = new DeepgramSettings(HttpUrl.get(baseUrl.toString()), timeout, timeout, 1,
                Duration.ofSeconds(1), Duration.ofSeconds(1), CIRCUIT_OPEN);
        return new HealthConfig(secretId, secretCacheTtl, deepgram,
                new CheckSettings(timeout, degradedAfter, cacheFor, deepCheckEvery, model), metrics);
    }
}
