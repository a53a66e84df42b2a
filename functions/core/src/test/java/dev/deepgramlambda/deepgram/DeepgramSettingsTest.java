package dev.deepgramlambda.deepgram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepgramlambda.config.ConfigException;
import dev.deepgramlambda.config.Env;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;

class DeepgramSettingsTest {

    @Test
    void givenNoVariables_whenRead_thenTheChecklistDefaultsApply() {
        Env env = new Env(Map.of());

        DeepgramSettings settings = DeepgramSettings.from(env);
        env.validate();

        assertEquals("https://api.deepgram.com/", settings.baseUrl().toString());
        assertEquals(Duration.ofSeconds(10), settings.connectTimeout());
        assertEquals(Duration.ofSeconds(30), settings.requestTimeout());
        assertEquals(3, settings.maxAttempts());
        assertEquals(Duration.ofSeconds(1), settings.backoffBase());
        assertEquals(Duration.ofSeconds(20), settings.backoffMax());
        assertEquals(Duration.ofSeconds(30), settings.circuitOpenDuration());
    }

    @Test
    void givenABackoffMaximumBelowItsBase_whenRead_thenTheProblemIsNamed() {
        Env env = new Env(Map.of("DEEPGRAM_BACKOFF_BASE_MILLIS", "5000", "DEEPGRAM_BACKOFF_MAX_MILLIS", "100"));

        DeepgramSettings.from(env);

        ConfigException error = assertThrows(ConfigException.class, env::validate);
        assertEquals(List.of("DEEPGRAM_BACKOFF_MAX_MILLIS must not be smaller than DEEPGRAM_BACKOFF_BASE_MILLIS"), error.problems());
    }

    @Test
    void givenInvalidValues_whenBuilt_thenTheBuilderRefusesThem() {
        DeepgramSettings.Builder builder = DeepgramSettings.builder();

        assertThrows(IllegalArgumentException.class, () -> builder.maxAttempts(0));
        assertThrows(IllegalArgumentException.class, () -> builder.timeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> builder.backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertEquals(Duration.ofSeconds(1), builder.build().backoffBase(), "a refused value leaves the default in place");
    }

    /** Issue 10, item 10: the API key travels in every request's headers, so plain http only ever goes to loopback. */
    @ParameterizedTest(name = "{0} is refused")
    @ValueSource(strings = {"http://api.deepgram.com", "http://deepgram.internal:8080", "http://10.0.0.5"})
    void givenPlainHttpToAnotherHost_whenConfigured_thenTheFunctionRefusesToStart(String url) {
        Env env = new Env(Map.of("DEEPGRAM_BASE_URL", url));
        DeepgramSettings.from(env);

        ConfigException e = assertThrows(ConfigException.class, env::validate);
        assertTrue(e.getMessage().contains("must use https"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DeepgramSettings.builder().baseUrl(okhttp3.HttpUrl.get(url)));
    }

    @ParameterizedTest(name = "{0} is accepted")
    @ValueSource(strings = {"https://api.deepgram.com", "https://deepgram.internal:8443/base", "http://127.0.0.1:8080",
            "http://localhost:9999", "http://[::1]:8080"})
    void givenHttpsOrLoopback_whenConfigured_thenItIsUsed(String url) {
        Env env = new Env(Map.of("DEEPGRAM_BASE_URL", url));
        DeepgramSettings settings = DeepgramSettings.from(env);

        env.validate();
        assertEquals(okhttp3.HttpUrl.get(url), settings.baseUrl());
    }
}
