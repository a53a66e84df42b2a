package dev.deepgramlambda.deepgram;

import java.util.Optional;

/**
 * What happened during one logical Deepgram call across all its attempts. Filled in by the client
 * whether the call succeeds or fails, so metrics and error records can report it either way.
 */
public final class CallStats {
    private int attempts;
    private int rateLimitHits;
    private ApiKey.Slot keySlot = ApiKey.Slot.PRIMARY;
    private String stopReason;

    void attemptStarted(ApiKey.Slot slot) {
        attempts++;
        keySlot = slot;
    }

    void rateLimited() {
        rateLimitHits++;
    }

    void stopped(String reason) {
        stopReason = reason;
    }

    /** HTTP requests sent to Deepgram, the first included. */
    public int attempts() {
        return attempts;
    }

    /** Attempts after the first: what the {@code DeepgramRetries} metric counts. */
    public int retries() {
        return Math.max(0, attempts - 1);
    }

    /** 429 answers received. */
    public int rateLimitHits() {
        return rateLimitHits;
    }

    /** The key slot the last attempt used. */
    public ApiKey.Slot keySlot() {
        return keySlot;
    }

    /** Why retrying stopped early, e.g. the Lambda deadline or a long {@code Retry-After}. */
    public Optional<String> stopReason() {
        return Optional.ofNullable(stopReason);
    }
}
