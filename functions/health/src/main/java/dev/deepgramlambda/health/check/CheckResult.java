package dev.deepgramlambda.health.check;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The outcome of one check (secret, Deepgram, transcription).
 *
 * @param reason a fixed-form sentence that never contains secret material, safe for a public answer;
 *               measured numbers live in {@code latency} so equal causes read the same in every log line
 * @param latency how long the Deepgram call took, when one was made
 * @param httpStatus Deepgram's HTTP status, when an answer arrived
 */
public record CheckResult(Status status, String reason, Optional<Duration> latency, OptionalInt httpStatus) {

    static CheckResult of(Status status, String reason) {
        return new CheckResult(status, reason, Optional.empty(), OptionalInt.empty());
    }

    static CheckResult answered(Status status, String reason, Duration latency, int httpStatus) {
        return new CheckResult(status, reason, Optional.of(latency),
                httpStatus > 0 ? OptionalInt.of(httpStatus) : OptionalInt.empty());
    }
}
