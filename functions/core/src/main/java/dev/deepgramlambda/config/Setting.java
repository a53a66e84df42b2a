package dev.deepgramlambda.config;

import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One environment variable: its name, its default, the values it accepts, and how it is read.
 * Every variable the functions read is defined once, in {@link Settings}; each function's
 * configuration reads it with {@link Env#read}. The README's configuration table states the same
 * name, default and range, and a test holds the two together.
 *
 * @param <T> the value the function works with, e.g. a {@link Duration} for {@code ..._SECONDS}
 */
public final class Setting<T> {
    private final String name;
    private final Optional<T> defaultValue;
    private final String documentedDefault;
    private final String documentedRange;
    private final BiFunction<Env, String, T> reader;

    private Setting(String name, Optional<T> defaultValue, String documentedDefault, String documentedRange,
                    BiFunction<Env, String, T> reader) {
        this.name = name;
        this.defaultValue = defaultValue;
        this.documentedDefault = documentedDefault;
        this.documentedRange = documentedRange;
        this.reader = reader;
    }

    /** A value every deployment must set, e.g. a secret's id. */
    public static Setting<String> required(String name) {
        return new Setting<>(name, Optional.empty(), "(required)", "", Env::required);
    }

    /** A value that may be left unset; the caller decides what its absence means. */
    public static Setting<Optional<String>> optional(String name) {
        return new Setting<>(name, Optional.of(Optional.empty()), "(none)", "", Env::optional);
    }

    /** Free text with a default. */
    public static Setting<String> text(String name, String defaultValue) {
        return new Setting<>(name, Optional.of(defaultValue), defaultValue, "",
                (env, n) -> env.string(n, defaultValue));
    }

    /** One of {@code allowed}, case-insensitive, read in lower case. */
    public static Setting<String> oneOf(String name, String defaultValue, String... allowed) {
        List<String> values = List.of(allowed);
        return new Setting<>(name, Optional.of(defaultValue), defaultValue, String.join(", ", values),
                (env, n) -> env.oneOf(n, defaultValue, values));
    }

    /** A whole number within {@code min..max}. */
    public static Setting<Integer> integer(String name, int defaultValue, int min, int max) {
        return new Setting<>(name, Optional.of(defaultValue), Integer.toString(defaultValue), range(min, max),
                (env, n) -> env.integer(n, defaultValue, min, max));
    }

    /** A whole number within {@code min..max}; {@code Long.MAX_VALUE} as the maximum means no upper bound. */
    public static Setting<Long> wholeNumber(String name, long defaultValue, long min, long max) {
        return new Setting<>(name, Optional.of(defaultValue), Long.toString(defaultValue), range(min, max),
                (env, n) -> env.longValue(n, defaultValue, min, max));
    }

    /** A duration written as a whole number of {@code unit}s (the variable's name says which). */
    public static Setting<Duration> duration(String name, ChronoUnit unit, long defaultValue, long min, long max) {
        return new Setting<>(name, Optional.of(Duration.of(defaultValue, unit)), Long.toString(defaultValue),
                range(min, max), (env, n) -> Duration.of(env.longValue(n, defaultValue, min, max), unit));
    }

    /** An http or https URL. */
    public static Setting<URI> httpUrl(String name, String defaultValue) {
        return new Setting<>(name, Optional.of(URI.create(defaultValue)), defaultValue, "http(s) URL",
                (env, n) -> env.httpUri(n, defaultValue));
    }

    /** An http or https URL that may be left unset. */
    public static Setting<Optional<URI>> optionalHttpUrl(String name) {
        return new Setting<>(name, Optional.of(Optional.empty()), "(none)", "http(s) URL",
                (env, n) -> env.optional(n).map(ignored -> env.httpUri(n, "")));
    }

    /**
     * A value with its own syntax; {@code parse} throws {@link IllegalArgumentException} with a
     * message naming what is wrong, reported as {@code NAME: message}.
     *
     * @param defaultText what an unset variable means, parsed like a set one
     */
    public static <T> Setting<T> parsed(String name, String defaultText, Function<String, T> parse) {
        Setting<String> text = new Setting<>(name, Optional.of(defaultText), defaultText.isEmpty() ? "(none)" : defaultText, "",
                (env, n) -> env.string(n, defaultText));
        return text.map(parse);
    }

    /**
     * Free text with a default where, unlike every other setting, set but empty is a value of its
     * own (e.g. "none") rather than the default; read stripped.
     */
    public static Setting<String> textOrEmpty(String name, String defaultValue, String documentedRange) {
        return new Setting<>(name, Optional.of(defaultValue), defaultValue, documentedRange,
                (env, n) -> env.asSet(n).orElse(defaultValue));
    }

    /**
     * This setting's value turned into a type core does not know, e.g. one function's own enum:
     * name, default and range stay this setting's, so they are documented once. {@code parse}
     * throws {@link IllegalArgumentException} with a message naming what is wrong, reported as
     * {@code NAME: message}; it must accept the default.
     */
    public <U> Setting<U> map(Function<T, U> parse) {
        U fallback = parse.apply(defaultValue());
        return new Setting<>(name, Optional.of(fallback), documentedDefault, documentedRange,
                (env, n) -> env.parsed(n, reader.apply(env, n), fallback, parse));
    }

    /**
     * This setting with one more rule: a value {@code valid} refuses is reported as
     * {@code NAME problem}.
     */
    public Setting<T> requiring(Predicate<T> valid, String problem) {
        return new Setting<>(name, defaultValue, documentedDefault, documentedRange, (env, n) -> {
            T value = reader.apply(env, n);
            if (!valid.test(value)) {
                env.problem(n + " " + problem);
            }
            return value;
        });
    }

    public String name() {
        return name;
    }

    /**
     * The value an unset variable stands for.
     *
     * @throws IllegalStateException for a required setting, which has none
     */
    public T defaultValue() {
        return defaultValue.orElseThrow(() -> new IllegalStateException(name + " is required and has no default"));
    }

    /** The default as the documentation states it: the raw value, {@code (required)} or {@code (none)}. */
    public String documentedDefault() {
        return documentedDefault;
    }

    /** The accepted values as the documentation states them, e.g. {@code 0–3600}; empty when any value goes. */
    public String documentedRange() {
        return documentedRange;
    }

    T readFrom(Env env) {
        return reader.apply(env, name);
    }

    private static String range(long min, long max) {
        return max == Long.MAX_VALUE ? "at least " + min : min + "–" + max;
    }

    @Override
    public String toString() {
        return name;
    }
}
