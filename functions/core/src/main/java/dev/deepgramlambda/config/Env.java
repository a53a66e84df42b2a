package dev.deepgramlambda.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads environment variables, each as its {@link Setting} defines it. Problems are collected rather
 * than thrown one by one: call {@link #validate()} after reading everything to fail with the
 * complete list.
 */
public final class Env {
    private final Map<String, String> variables;
    private final List<String> problems = new ArrayList<>();

    public Env(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    /** The setting's value; a bad one is recorded as a problem and stood in for by its default. */
    public <T> T read(Setting<T> setting) {
        return setting.readFrom(this);
    }

    /** The value, or empty when unset or blank. */
    Optional<String> optional(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /**
     * The value exactly as set, stripped, blank included; empty only when unset. For the settings
     * where set but empty means something of its own ("none") rather than the default.
     */
    Optional<String> asSet(String name) {
        return Optional.ofNullable(variables.get(name)).map(String::strip);
    }

    String string(String name, String defaultValue) {
        return optional(name).orElse(defaultValue);
    }

    String required(String name) {
        return optional(name).orElseGet(() -> {
            problems.add(name + " is required");
            return "";
        });
    }

    int integer(String name, int defaultValue, int min, int max) {
        return optional(name).map(raw -> parseInteger(name, raw, min, max)).orElse(defaultValue).intValue();
    }

    long longValue(String name, long defaultValue, long min, long max) {
        return optional(name).map(raw -> parseLong(name, raw, min, max)).orElse(defaultValue);
    }

    URI httpUri(String name, String defaultValue) {
        String raw = string(name, defaultValue);
        try {
            URI uri = URI.create(raw);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                problems.add(name + " must be an http(s) URL, got '" + raw + "'");
                // Reported; the default stands in so readers building on it before validate() do not fail first.
                return URI.create(defaultValue);
            }
            return uri;
        } catch (IllegalArgumentException e) {
            problems.add(name + " is not a valid URL: '" + raw + "'");
            return URI.create(defaultValue);
        }
    }

    /** One of {@code allowed} (case-insensitive), returned in lower case. */
    String oneOf(String name, String defaultValue, List<String> allowed) {
        String value = string(name, defaultValue).toLowerCase(Locale.ROOT);
        if (!allowed.contains(value)) {
            problems.add(name + " must be one of " + allowed + ", got '" + value + "'");
            return defaultValue;
        }
        return value;
    }

    /** {@code value} parsed; a value {@code parse} refuses is reported as {@code NAME: message}. */
    <S, T> T parsed(String name, S value, T fallback, Function<S, T> parse) {
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            problems.add(name + ": " + e.getMessage());
            return fallback;
        }
    }

    /** Records a problem found by the caller's own cross-field checks. */
    public void problem(String message) {
        problems.add(message);
    }

    /**
     * Problems met so far. Compare before and after reading the values a cross-field check uses:
     * a value that failed its own check was replaced by a stand-in, and judging the stand-in would
     * report a problem the user never made.
     */
    public int problemCount() {
        return problems.size();
    }

    /** @throws ConfigException listing every problem met while reading */
    public void validate() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    private Integer parseInteger(String name, String raw, int min, int max) {
        return (int) parseLong(name, raw, min, max);
    }

    private long parseLong(String name, String raw, long min, long max) {
        try {
            long value = Long.parseLong(raw);
            if (value < min || value > max) {
                problems.add(name + " must be between " + min + " and " + max + ", got " + value);
                return min;
            }
            return value;
        } catch (NumberFormatException e) {
            problems.add(name + " must be a whole number, got '" + raw + "'");
            return min;
        }
    }
}
