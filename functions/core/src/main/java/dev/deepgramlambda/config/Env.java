package dev.deepgramlambda.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads environment variables into typed values. Problems are collected rather than thrown one by
 * one: call {@link #validate()} after reading everything to fail with the complete list.
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

    /** The value, or empty when unset or blank. */
    public Optional<String> optional(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /**
     * The value exactly as set, blank included, for a variable where an empty value means
     * something ("none"); empty only when the variable is unset.
     */
    public Optional<String> asSet(String name) {
        return Optional.ofNullable(variables.get(name));
    }

    public String string(String name, String defaultValue) {
        return optional(name).orElse(defaultValue);
    }

    public String required(String name) {
        return optional(name).orElseGet(() -> {
            problems.add(name + " is required");
            return "";
        });
    }

    public int integer(String name, int defaultValue, int min, int max) {
        return optional(name).map(raw -> parseInteger(name, raw, min, max)).orElse(defaultValue).intValue();
    }

    public long longValue(String name, long defaultValue, long min, long max) {
        return optional(name).map(raw -> parseLong(name, raw, min, max)).orElse(defaultValue);
    }

    public Duration seconds(String name, long defaultSeconds, long min, long max) {
        return Duration.ofSeconds(longValue(name, defaultSeconds, min, max));
    }

    public Duration millis(String name, long defaultMillis, long min, long max) {
        return Duration.ofMillis(longValue(name, defaultMillis, min, max));
    }

    public URI httpUri(String name, String defaultValue) {
        String raw = string(name, defaultValue);
        try {
            URI uri = URI.create(raw);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                problems.add(name + " must be an http(s) URL, got '" + raw + "'");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            problems.add(name + " is not a valid URL: '" + raw + "'");
            return URI.create(defaultValue);
        }
    }

    /** One of {@code allowed} (case-insensitive), returned in lower case. */
    public String oneOf(String name, String defaultValue, List<String> allowed) {
        String value = string(name, defaultValue).toLowerCase(Locale.ROOT);
        if (!allowed.contains(value)) {
            problems.add(name + " must be one of " + allowed + ", got '" + value + "'");
            return defaultValue;
        }
        return value;
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
