package dev.deepgramlambda.rotation.keys;

import java.time.Instant;

/** A key Deepgram just created; {@link #toString()} leaves the secret out. */
public record CreatedKey(String keyId, String secret, Instant expiresAt) {
    @Override
    public String toString() {
        return "CreatedKey[keyId=" + keyId + ", expiresAt=" + expiresAt + "]";
    }
}
