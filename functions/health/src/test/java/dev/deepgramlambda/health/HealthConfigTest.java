package dev.deepgramlambda.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.deepgramlambda.config.ConfigException;
import dev.deepgramlambda.config.Env;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthConfigTest {

    @Test
    void onlyTheSecretIdIsRequiredAndDefaultsAreTheDocumentedOnes() {
        // Given only DEEPGRAM_SECRET_ID
        Env env = new Env(Map.of("DEEPGRAM_SECRET_ID", "deepgram/transcription"));

        // When the configuration is read
        HealthConfig config = HealthConfig.from(env);

        // Then the defaults from docs/health.md apply, and the canary never retries
        assertEquals("deepgram/transcription", config.secretId());
        assertEquals(Duration.ofSeconds(300), config.secretCacheTtl());
        assertEquals("https://api.deepgram.com/", config.deepgram().baseUrl().toString());
        assertEquals(Duration.ofSeconds(5), config.checks().timeout());
        assertEquals(Duration.ofSeconds(5), config.deepgram().requestTimeout());
        assertEquals(Duration.ofSeconds(5), config.deepgram().connectTimeout());
        assertEquals(1, config.deepgram().maxAttempts());
        assertEquals(Duration.ofMillis(2000), config.checks().degradedAfter());
        assertEquals(Duration.ofSeconds(30), config.checks().cacheFor());
        assertFalse(config.checks().deepCheckEnabled());
        assertEquals("nova-3", config.checks().model());
        assertEquals("DeepgramTranscription", config.metrics().namespace());
    }

    /** Issue 10: health took the URL past the https rule and died with an IllegalArgumentException instead of naming it. */
    @Test
    void aPlainHttpBaseUrlIsReportedAsAProblemLikeEveryOther() {
        Env env = new Env(Map.of("DEEPGRAM_SECRET_ID", "deepgram/transcription", "DEEPGRAM_BASE_URL", "http://deepgram.example"));

        ConfigException error = assertThrows(ConfigException.class, () -> HealthConfig.from(env));

        assertEquals(List.of("DEEPGRAM_BASE_URL must use https; http is accepted only for loopback (localhost, 127.0.0.1, ::1),"
                + " got host 'deepgram.example'"), error.problems());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        // Given several invalid values and no secret id
        Env env = new Env(Map.of(
                "DEEPGRAM_BASE_URL", "ftp://deepgram.example",
                "HEALTH_CACHE_SECONDS", "0",
                "DEEP_CHECK_INTERVAL_MINUTES", "often",
                "HEALTH_TIMEOUT_SECONDS", "2",
                "HEALTH_DEGRADED_MILLIS", "2000"));

        // When the configuration is read
        ConfigException error = assertThrows(ConfigException.class, () -> HealthConfig.from(env));

        // Then each problem is named, so one deploy can fix them all
        assertEquals(List.of(
                "DEEPGRAM_SECRET_ID is required",
                "DEEPGRAM_BASE_URL must be an http(s) URL, got 'ftp://deepgram.example'",
                "HEALTH_DEGRADED_MILLIS (2000) must be below HEALTH_TIMEOUT_SECONDS (2000 ms), or a slow answer"
                        + " times out before it can count as degraded",
                "HEALTH_CACHE_SECONDS must be between 1 and 3600, got 0",
                "DEEP_CHECK_INTERVAL_MINUTES must be a whole number, got 'often'"), error.problems());
    }
}
