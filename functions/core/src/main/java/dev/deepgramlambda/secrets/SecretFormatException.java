package dev.deepgramlambda.secrets;

/** The secret exists but does not hold a usable Deepgram key. The message never quotes the secret. */
public final class SecretFormatException extends RuntimeException {
    public SecretFormatException(String message) {
        super("Deepgram secret is malformed: " + message);
    }
}
