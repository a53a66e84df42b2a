package dev.deepgramlambda.deepgram;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;

/** A Deepgram call failed. {@link #kind()} says what went wrong and what may still help. */
public final class DeepgramException extends RuntimeException {

    /** What went wrong, in the terms callers act on; each kind says what may still help. */
    public enum Kind {
        /** 400, 404, 413 and other 4xx: this request will never succeed as sent. */
        REJECTED(Remedy.NONE, CircuitEffect.SUCCESS),
        /** 400 because Deepgram could not download the URL it was given. */
        REMOTE_AUDIO_UNREACHABLE(Remedy.SEND_AUDIO, CircuitEffect.SUCCESS),
        /** 401: the key is invalid or expired; the secret may hold a new one by the next invocation. */
        UNAUTHORIZED(Remedy.LATER, CircuitEffect.SUCCESS),
        /** 402: the project is out of credits. */
        PAYMENT_REQUIRED(Remedy.NONE, CircuitEffect.SUCCESS),
        /** 403: the key may not use this model or feature. */
        FORBIDDEN(Remedy.NONE, CircuitEffect.SUCCESS),
        /** 429: too many concurrent requests for the project. */
        RATE_LIMITED(Remedy.RETRY, CircuitEffect.IGNORED),
        /** 408, 422 and 5xx: Deepgram or a proxy in front of it failed. */
        SERVER_ERROR(Remedy.RETRY, CircuitEffect.FAILURE),
        /** No complete answer within the request timeout. */
        TIMEOUT(Remedy.RETRY, CircuitEffect.FAILURE),
        /** No connection: DNS, refused, reset. */
        CONNECTION(Remedy.RETRY, CircuitEffect.FAILURE),
        /**
         * The attempt ended while we were still sending the audio: reading the source or our upload
         * was too slow or failed. That says nothing about Deepgram's health.
         */
        UPLOAD_STALLED(Remedy.RETRY, CircuitEffect.IGNORED),
        /**
         * Deepgram answered 2xx with a body larger than the function keeps
         * ({@link ListenResponse#MAX_BYTES}, or what /tmp holds) or reads: the same audio would
         * produce the same answer, so retrying only pays again.
         */
        RESPONSE_TOO_LARGE(Remedy.NONE, CircuitEffect.SUCCESS),
        /**
         * Deepgram answered 2xx with a body that is not a JSON object (a broken proxy, say). It did the work
         * and bills it: another attempt would pay again for the same garbled answer path.
         */
        RESPONSE_UNREADABLE(Remedy.NONE, CircuitEffect.FAILURE),
        /**
         * The Lambda deadline, not Deepgram, ended the call: too little time was left to send a
         * request, or an attempt shortened to fit the deadline ran out.
         */
        DEADLINE_EXCEEDED(Remedy.LATER, CircuitEffect.IGNORED),
        /** The circuit breaker is open: Deepgram failed repeatedly and calls fail fast for a while. */
        CIRCUIT_OPEN(Remedy.LATER, CircuitEffect.IGNORED);

        private final Remedy remedy;
        private final CircuitEffect circuitEffect;

        Kind(Remedy remedy, CircuitEffect circuitEffect) {
            this.remedy = remedy;
            this.circuitEffect = circuitEffect;
        }

        public Remedy remedy() {
            return remedy;
        }

        /** Whether no later attempt can succeed: the caller records the failure instead of retrying. */
        public boolean permanent() {
            return remedy == Remedy.NONE;
        }
    }

    /** What may still make a failed request succeed. */
    public enum Remedy {
        /** Another attempt after a backoff, in this invocation: the failure is likely to pass. */
        RETRY,
        /** Nothing in this invocation; a later one may succeed (a rotated key, a closed circuit, more time). */
        LATER,
        /** Sending the audio bytes in place of a URL Deepgram could not fetch. */
        SEND_AUDIO,
        /** Nothing: the request, the account or the key's permissions must change first. */
        NONE
    }

    /**
     * What a failure tells the circuit breaker about Deepgram's health: a failure (it is unwell), a
     * success (it answered, the request was at fault), or nothing (429 and our own deadline say
     * nothing either way, and must not close a half-open circuit).
     */
    enum CircuitEffect { FAILURE, SUCCESS, IGNORED }

    private final Kind kind;
    private final int status;
    private final String errorCode;
    private final String deepgramMessage;
    private final String requestId;
    private final Duration retryAfter;

    DeepgramException(Kind kind, int status, String errorCode, String deepgramMessage, String requestId,
                      Duration retryAfter, Throwable cause) {
        super(describe(kind, status, errorCode, deepgramMessage), cause);
        this.kind = kind;
        this.status = status;
        this.errorCode = errorCode;
        this.deepgramMessage = deepgramMessage;
        this.requestId = requestId;
        this.retryAfter = retryAfter;
    }

    static DeepgramException transport(Kind kind, String message, Throwable cause) {
        return new DeepgramException(kind, 0, null, message, null, null, cause);
    }

    /**
     * An error body that arrived without an HTTP answer of its own, such as the head of a callback
     * carrying an error instead of a transcript: read in either of Deepgram's JSON shapes (anything
     * else is its own text), sanitised and cut.
     */
    public static DeepgramException fromErrorBody(JsonNode body) {
        return ErrorResponse.toException(body);
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status, or 0 when no response arrived. */
    public int status() {
        return status;
    }

    /** Deepgram's {@code err_code} or {@code category}. */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }

    /** Deepgram's message, with any URL query string removed. */
    public String deepgramMessage() {
        return deepgramMessage;
    }

    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /** The server's {@code Retry-After}, when it sent one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** Whether another attempt in this call may succeed; 422 (upload incomplete) is worth exactly one more try. */
    public boolean retryable(int attemptsSoFar) {
        return status == 422 ? attemptsSoFar < 2 : kind.remedy == Remedy.RETRY;
    }

    CircuitEffect circuitEffect() {
        return kind.circuitEffect;
    }

    private static String describe(Kind kind, int status, String code, String message) {
        StringBuilder text = new StringBuilder("Deepgram ").append(kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        if (status > 0) {
            text.append(" (HTTP ").append(status).append(')');
        }
        if (code != null) {
            text.append(" [").append(code).append(']');
        }
        if (message != null && !message.isBlank()) {
            text.append(": ").append(message);
        }
        return text.toString();
    }
}
