package dev.deepgramlambda.deepgram;

import java.util.Objects;
import java.util.Optional;

/**
 * A Deepgram API key and which slot of the secret it came from. {@link #toString()} never shows the
 * value, so a key can be logged by accident without leaking.
 */
public final class ApiKey {
    /** Which key of the secret served a request; logs and metrics name this, never the value. */
    public enum Slot { PRIMARY, FALLBACK }

    private final String value;
    private final Slot slot;

    public ApiKey(String value, Slot slot) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("API key must not be blank");
        }
        this.slot = Objects.requireNonNull(slot);
        headerProblem(value).ifPresent(problem -> {
            throw new IllegalArgumentException("the " + slot.name().toLowerCase(java.util.Locale.ROOT) + " API key " + problem);
        });
        this.value = value;
    }

    /**
     * Why {@code value} cannot travel in an {@code Authorization} header, naming the character by its
     * code point and position, never the value: e.g. a no-break space pasted from a web console.
     * OkHttp accepts only visible ASCII (and tabs and spaces, which a key never holds).
     */
    public static Optional<String> headerProblem(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return Optional.of(String.format("contains U+%04X at position %d, which an HTTP header cannot carry", (int) c, i + 1));
            }
        }
        return Optional.empty();
    }

    public String value() {
        return value;
    }

    public Slot slot() {
        return slot;
    }

    /** Same secret value, whatever slot it came from. */
    public boolean sameValueAs(ApiKey other) {
        return other != null && value.equals(other.value);
    }

    @Override
    public String toString() {
        return "ApiKey[" + slot.name().toLowerCase(java.util.Locale.ROOT) + ", redacted]";
    }
}
