package dev.deepgramlambda.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {

    @Test
    void givenUnsetVariables_whenRead_thenDefaultsApply() {
        Env env = new Env(Map.of("BLANK", "  "));

        assertEquals("fallback", env.string("BLANK", "fallback"));
        assertEquals(30, env.integer("MISSING", 30, 1, 60));
        assertEquals(Duration.ofSeconds(5), env.seconds("MISSING", 5, 1, 10));
        env.validate();
    }

    @Test
    void givenSeveralBadValues_whenValidated_thenEveryProblemIsReportedAtOnce() {
        Env env = new Env(Map.of("COUNT", "lots", "RANGE", "99", "MODE", "fast", "URL", "ftp://x"));

        env.required("NEEDED");
        env.integer("COUNT", 1, 1, 10);
        env.integer("RANGE", 1, 1, 10);
        env.oneOf("MODE", "url", List.of("url", "stream"));
        env.httpUri("URL", "https://example.com");

        ConfigException error = assertThrows(ConfigException.class, env::validate);
        assertEquals(List.of(
                "NEEDED is required",
                "COUNT must be a whole number, got 'lots'",
                "RANGE must be between 1 and 10, got 99",
                "MODE must be one of [url, stream], got 'fast'",
                "URL must be an http(s) URL, got 'ftp://x'"), error.problems());
    }
}
