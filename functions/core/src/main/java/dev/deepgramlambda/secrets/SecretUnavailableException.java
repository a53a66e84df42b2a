package dev.deepgramlambda.secrets;

/** The secret could not be read and no earlier value is cached to fall back on. */
public final class SecretUnavailableException extends RuntimeException {
    public SecretUnavailableException(String secretId, Throwable cause) {
        super("Cannot read Deepgram secret '" + secretId + "': " + cause.getMessage(), cause);
    }
}
