package dev.deepgramlambda.deepgram;

import java.util.Optional;

/** Where the Deepgram client gets its keys, and how it recovers when Deepgram rejects one (401). */
public interface ApiKeys {
    /** The key to use now (normally from a cache). */
    ApiKey current();

    /**
     * Called once after Deepgram answered 401 for {@code rejected}: drop any cached copy and read the
     * source again. Returns the new key only when it differs from the rejected one.
     */
    Optional<ApiKey> renewAfterRejection(ApiKey rejected);

    /**
     * Called when Deepgram rejected {@code rejected} again, after a renewal: remember it, so the
     * next call starts with the fallback key instead of paying the same 401 and re-read again.
     */
    void stillRejected(ApiKey rejected);

    /** The prepared fallback key, if the secret holds one. */
    Optional<ApiKey> fallback();
}
