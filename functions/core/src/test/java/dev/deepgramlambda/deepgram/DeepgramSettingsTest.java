package dev.deepgramlambda.deepgram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.deepgramlambda.config.ConfigException;
import dev.deepgramlambda.config.Env;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
}
