package dev.deepgramlambda.health;

import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.config.Settings;
import dev.deepgramlambda.deepgram.DeepgramSettings;
import dev.deepgramlambda.health.check.CheckSettings;
import dev.deepgramlambda.metrics.MetricsSettings;
import java.time.Duration;
import okhttp3.HttpUrl;

/**
 * The health function's configuration, read once per container from the environment and
 * validated as a whole. Each variable is defined in {@link Settings}; {@code docs/health.md}
 * explains them.
 */
public record HealthConfig(String secretId, Duration secretCacheTtl, DeepgramSettings deepgram, CheckSettings checks,
                           MetricsSettings metrics) {

    /** @throws dev.deepgramlambda.config.ConfigException listing every problem, AWS settings read earlier from the same env included */
    public static HealthConfig from(Env env) {
        String secretId = env.read(Settings.DEEPGRAM_SECRET_ID);
        Duration secretCacheTtl = env.read(Settings.SECRET_CACHE_TTL_SECONDS);
        HttpUrl baseUrl = DeepgramSettings.baseUrl(env);
        int problemsBefore = env.problemCount();
        Duration timeout = env.read(Settings.HEALTH_TIMEOUT_SECONDS);
        Duration degradedAfter = env.read(Settings.HEALTH_DEGRADED_MILLIS);
        if (env.problemCount() == problemsBefore && degradedAfter.compareTo(timeout) >= 0) {
            env.problem(Settings.HEALTH_DEGRADED_MILLIS.name() + " (" + degradedAfter.toMillis() + ") must be below "
                    + Settings.HEALTH_TIMEOUT_SECONDS.name() + " (" + timeout.toMillis()
                    + " ms), or a slow answer times out before it can count as degraded");
        }
        Duration cacheFor = env.read(Settings.HEALTH_CACHE_SECONDS);
        Duration deepCheckEvery = env.read(Settings.DEEP_CHECK_INTERVAL_MINUTES);
        String model = env.read(Settings.DEEPGRAM_MODEL);
        MetricsSettings metrics = MetricsSettings.from(env);
        env.validate();
        // One attempt: a canary that retried would hide the failures it exists to report. The
        // circuit breaker (default open duration) only guards the deep check's transcription;
        // connectivity checks bypass it because the canary must see Deepgram itself, not our memory of it.
        DeepgramSettings deepgram = DeepgramSettings.builder()
                .baseUrl(baseUrl)
                .timeout(timeout)
                .maxAttempts(1)
                .build();
        return new HealthConfig(secretId, secretCacheTtl, deepgram,
                new CheckSettings(timeout, degradedAfter, cacheFor, deepCheckEvery, model), metrics);
    }
}
