package dev.deepgramlambda.rotation;

/**
 * A rotation step refused or failed. Thrown out of the handler so the invocation counts in the
 * function's {@code Errors} metric and Secrets Manager stops the rotation with AWSCURRENT unchanged.
 */
final class RotationException extends RuntimeException {
    RotationException(String message) {
        super(message);
    }

    RotationException(String message, Throwable cause) {
        super(message, cause);
    }
}
