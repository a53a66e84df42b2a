package dev.deepgramlambda.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {

    @Test
    void givenUnsetVariables_whenRead_thenDefaultsApply() {
        Env env = new Env(Map.of("BLANK", "  "));

        assertEquals("fallback", env.read(Setting.text("BLANK", "fallback")));
        assertEquals(30, env.read(Setting.integer("MISSING", 30, 1, 60)));
        assertEquals(Duration.ofSeconds(5), env.read(Setting.duration("MISSING", ChronoUnit.SECONDS, 5, 1, 10)));
        env.validate();
    }

    @Test
    void givenSeveralBadValues_whenValidated_thenEveryProblemIsReportedAtOnce() {
        Env env = new Env(Map.of("COUNT", "lots", "RANGE", "99", "MODE", "fast", "URL", "ftp://x", "PREFIX", "/out"));

        env.read(Setting.required("NEEDED"));
        env.read(Setting.integer("COUNT", 1, 1, 10));
        env.read(Setting.integer("RANGE", 1, 1, 10));
        env.read(Setting.oneOf("MODE", "url", "url", "stream"));
        env.read(Setting.httpUrl("URL", "https://example.com"));
        env.read(Setting.text("PREFIX", "out/").requiring(p -> !p.startsWith("/"), "must not start with '/'"));

        ConfigException error = assertThrows(ConfigException.class, env::validate);
        assertEquals(List.of(
                "NEEDED is required",
                "COUNT must be a whole number, got 'lots'",
                "RANGE must be between 1 and 10, got 99",
                "MODE must be one of [url, stream], got 'fast'",
                "URL must be an http(s) URL, got 'ftp://x'",
                "PREFIX must not start with '/'"), error.problems());
    }

    @Test
    void givenATextWhereEmptyMeansNone_whenSetEmpty_thenEmptyIsReadAndOnlyUnsetGivesTheDefault() {
        Setting<String> formats = Setting.textOrEmpty("FORMATS", "a,b", "a, b, a,b or empty");
        Env env = new Env(Map.of("FORMATS", "  "));

        assertEquals("", env.read(formats));
        assertEquals("a,b", new Env(Map.of()).read(formats));
        assertEquals("b", new Env(Map.of("FORMATS", " b ")).read(formats));
        env.validate();
    }

    @Test
    void givenAMappedSetting_whenItsParserRefusesTheValue_thenTheProblemNamesTheVariableAndTheDefaultStandsIn() {
        Setting<Integer> letters = Setting.textOrEmpty("LETTERS", "ab", "").map(value -> {
            if (!value.chars().allMatch(Character::isLetter)) {
                throw new IllegalArgumentException("'" + value + "' is not letters");
            }
            return value.length();
        });
        Env env = new Env(Map.of("LETTERS", "a1"));

        assertEquals(2, env.read(letters), "the default, parsed, stands in");
        assertEquals(0, new Env(Map.of("LETTERS", "")).read(letters));
        assertEquals("ab", letters.documentedDefault());
        ConfigException error = assertThrows(ConfigException.class, env::validate);
        assertEquals(List.of("LETTERS: 'a1' is not letters"), error.problems());
    }
}
