package dev.deepgramlambda.deepgram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepgramlambda.config.ConfigException;
import dev.deepgramlambda.config.Env;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 10, item 10: the API key travels in every request's headers, so plain HTTP only ever goes to loopback. */
class DeepgramSettingsTest {

    @ParameterizedTest(name = "{0} is refused")
    @ValueSource(strings = {"http://api.deepgram.com", "http://deepgram.internal:8080", "http://10.0.0.5"})
    void givenPlainHttpToAnotherHost_whenConfigured_thenTheFunctionRefusesToStart(String url) {
        Env env = new Env(Map.of(DeepgramSettings.DEEPGRAM_BASE_URL, url));
        DeepgramSettings.from(env);

        ConfigException e = assertThrows(ConfigException.class, env::validate);
        assertTrue(e.getMessage().contains("must use https"), e.getMessage());
    }

    @ParameterizedTest(name = "{0} is accepted")
    @ValueSource(strings = {"https://api.deepgram.com", "https://deepgram.internal:8443/base", "http://127.0.0.1:8080",
            "http://localhost:9999", "http://[::1]:8080"})
    void givenHttpsOrLoopback_whenConfigured_thenItIsUsed(String url) {
        Env env = new Env(Map.of(DeepgramSettings.DEEPGRAM_BASE_URL, url));
        DeepgramSettings settings = DeepgramSettings.from(env);

        env.validate();
        assertEquals(okhttp3.HttpUrl.get(url), settings.baseUrl());
    }
}
