package dev.deepgramlambda.transcribe;

import dev.deepgramlambda.deepgram.CallStats;
import dev.deepgramlambda.metrics.MetricNames.Status;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * How one S3 record ended.
 *
 * @param reason a stable, machine-readable code, e.g. {@code transcribed} or {@code empty-object}
 * @param retryable for failures: true when Lambda should retry the event (transient), false when an
 *     error record was written instead (permanent)
 * @param deepgram attempts, rate-limit hits and key slot, when Deepgram was called
 * @param output where the transcript or error record was written
 */
record Outcome(Status status, String reason, String message, boolean retryable,
               Optional<CallStats> deepgram, long deepgramMillis, OptionalDouble audioSeconds,
               Optional<String> deepgramRequestId, Optional<String> output) {

    static Outcome skipped(String reason, String message) {
        return new Outcome(Status.SKIPPED, reason, message, false, Optional.empty(), 0, OptionalDouble.empty(),
                Optional.empty(), Optional.empty());
    }

    static Outcome transcribed(CallStats stats, long deepgramMillis, OptionalDouble audioSeconds,
                               Optional<String> requestId, String output) {
        return new Outcome(Status.SUCCESS, "transcribed", "transcript written", false, Optional.of(stats),
                deepgramMillis, audioSeconds, requestId, Optional.of(output));
    }

    /**
     * A callback's result turned into a transcript.
     *
     * @param latencyMillis from the submission to the result's arrival
     */
    static Outcome completed(long latencyMillis, OptionalDouble audioSeconds, Optional<String> requestId, String output) {
        return new Outcome(Status.SUCCESS, "transcribed", "transcript written from Deepgram's callback", false,
                Optional.empty(), latencyMillis, audioSeconds, requestId, Optional.of(output));
    }

    /** A callback job Deepgram accepted: the upload ends when its result arrives, or when the sweep gives up on it. */
    static Outcome submitted(CallStats stats, Optional<String> requestId, String resultLocation) {
        return new Outcome(Status.SUBMITTED, "submitted", "submitted; Deepgram writes the result to " + resultLocation,
                false, Optional.of(stats), 0, OptionalDouble.empty(), requestId, Optional.empty());
    }

    /**
     * Waiting for a Deepgram slot in the admission queue: neither success nor failure yet, and no
     * Lambda retry spent.
     */
    static Outcome queued(String reason, String message, Optional<CallStats> stats) {
        return new Outcome(Status.QUEUED, reason, message, false, stats, 0, OptionalDouble.empty(), Optional.empty(),
                Optional.empty());
    }

    /** A failure that will not go away by retrying; an error record was written. */
    static Outcome permanentFailure(String reason, String message, Optional<CallStats> stats,
                                    Optional<String> requestId, String errorRecord) {
        return new Outcome(Status.FAILURE, reason, message, false, stats, 0, OptionalDouble.empty(), requestId,
                Optional.of(errorRecord));
    }

    /** A failure Lambda should retry: the handler throws after the other records are done. */
    static Outcome transientFailure(String reason, String message, Optional<CallStats> stats, Optional<String> requestId) {
        return new Outcome(Status.FAILURE, reason, message, true, stats, 0, OptionalDouble.empty(), requestId,
                Optional.empty());
    }
}
