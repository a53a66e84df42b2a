package dev.deepgramlambda.health.check;

import dev.deepgramlambda.deepgram.DeepgramException;
import java.time.Duration;

/**
 * What a failed Deepgram call means for health. Reasons are fixed sentences built from the HTTP
 * status and Deepgram's error code, never from free text, so they are safe to answer with and the
 * same cause always reads the same.
 */
final class DeepgramFailure {
    private DeepgramFailure() {}

    static CheckResult describe(DeepgramException e, Duration latency, Duration timeout) {
        return CheckResult.answered(status(e), reason(e, timeout), latency, e.status());
    }

    /**
     * 429 is degraded, not unhealthy: Deepgram is up and accepts the key, transcriptions back off
     * and retry, and the {@code RateLimitHits} alarm covers sustained limiting.
     */
    static Status status(DeepgramException e) {
        return e.kind() == DeepgramException.Kind.RATE_LIMITED ? Status.DEGRADED : Status.UNHEALTHY;
    }

    static String reason(DeepgramException e, Duration timeout) {
        return switch (e.kind()) {
            case UNAUTHORIZED -> "Deepgram rejected the API key" + answer(e);
            case PAYMENT_REQUIRED -> "the Deepgram project is out of credits" + answer(e);
            case FORBIDDEN -> "Deepgram refused the request: the API key lacks a scope" + answer(e);
            case RATE_LIMITED -> "Deepgram is rate limiting this project" + answer(e);
            case SERVER_ERROR -> e.status() > 0 ? "Deepgram server error" + answer(e)
                    : "Deepgram answered with a body that is not JSON";
            case TIMEOUT -> "no answer from Deepgram within " + timeout.toMillis() + " ms";
            case CONNECTION -> "cannot connect to Deepgram ("
                    + (e.getCause() == null ? "connection failed" : e.getCause().getClass().getSimpleName()) + ")";
            case CIRCUIT_OPEN -> "Deepgram failed repeatedly; calls are paused by the circuit breaker";
            case DEADLINE_EXCEEDED -> "the check ran out of time before the function's deadline";
            case UPLOAD_STALLED -> "the check's audio could not be sent to Deepgram in time";
            case RESPONSE_TOO_LARGE -> "Deepgram answered with a body larger than the client accepts";
            case RESPONSE_UNREADABLE -> "Deepgram answered with a body that is not JSON";
            case REJECTED, REMOTE_AUDIO_UNREACHABLE -> "Deepgram rejected the request" + answer(e);
        };
    }

    private static String answer(DeepgramException e) {
        return " (HTTP " + e.status() + e.errorCode().map(code -> ", " + code).orElse("") + ")";
    }
}
