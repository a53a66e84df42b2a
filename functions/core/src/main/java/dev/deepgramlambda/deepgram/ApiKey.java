package dev.deepgramlambda.deepgram;

import java.util.Objects;

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
        this.value = value;
        this.slot = Objects.requireNonNull(slot);
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
