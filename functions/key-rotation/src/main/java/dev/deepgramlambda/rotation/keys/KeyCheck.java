package dev.deepgramlambda.rotation.keys;

/** Deepgram's verdict on a key, from {@link DeepgramKeyAdmin#check}. */
public enum KeyCheck {
    /** Authenticated and allowed to transcribe. */
    ACCEPTED,
    /** 401: unknown, revoked or expired. */
    INVALID,
    /** 403: a valid key without the {@code usage:write} scope. */
    NOT_ALLOWED_TO_TRANSCRIBE
}
