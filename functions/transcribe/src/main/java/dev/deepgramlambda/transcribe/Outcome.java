package dev.deepgramlambda.transcribe;

import dev.deepgramlambda.deepgram.CallStats;
import dev.deepgramlambda.metrics.MetricNames.Status;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * How one S3 record ended: transcribed (or completed from Deepgram's callback), submitted for a
 * callback, waiting for a Deepgram slot, skipped, rejected with an error record, or failed for
 * Lambda to retry. Sealed, and each variant states its own status, reason, message and log
 * summary, so a new way to end cannot compile until it has decided all of them.
 */
sealed interface Outcome {

    /** The {@code Status} dimension of the {@code Transcriptions} metric. */
    Status status();

    /** A stable, machine-readable code, e.g. {@code transcribed} or {@code empty-object}. */
    String reason();

    /** What happened, for people. */
    String message();

    /** The message of the record's log line. */
    String summary();

    /** The Deepgram call, when there was one. */
    Optional<DeepgramCall> deepgram();

    /** Where the transcript or the error record was written, when one was. */
    Optional<String> output();

    /**
     * One Deepgram call, retries included.
     *
     * @param stats attempts, rate-limit hits and the key slot that answered
     * @param millis from the first attempt to the answer or the last failure
     */
    record DeepgramCall(CallStats stats, long millis, Optional<String> requestId) {}

    /** A transcript was written, by either delivery: what the latency and audio metrics read. */
    sealed interface TranscriptWritten extends Outcome {
        /** For sync delivery the Deepgram call; for callback delivery submission to the result's arrival. */
        long latencyMillis();

        OptionalDouble audioSeconds();
    }

    /** A transcript was written from Deepgram's answer to a synchronous call. */
    record Transcribed(DeepgramCall call, OptionalDouble audioSeconds, String transcript) implements TranscriptWritten {
        @Override
        public long latencyMillis() {
            return call.millis();
        }

        @Override
        public Status status() {
            return Status.SUCCESS;
        }

        @Override
        public String reason() {
            return "transcribed";
        }

        @Override
        public String message() {
            return "transcript written";
        }

        @Override
        public String summary() {
            return "Record success";
        }

        @Override
        public Optional<DeepgramCall> deepgram() {
            return Optional.of(call);
        }

        @Override
        public Optional<String> output() {
            return Optional.of(transcript);
        }
    }

    /**
     * A transcript was written from the result Deepgram delivered by callback.
     *
     * @param latencyMillis from the submission to the result's arrival
     */
    record Completed(long latencyMillis, OptionalDouble audioSeconds, Optional<String> requestId, String transcript)
            implements TranscriptWritten {
        @Override
        public Status status() {
            return Status.SUCCESS;
        }

        @Override
        public String reason() {
            return "transcribed";
        }

        @Override
        public String message() {
            return "transcript written from Deepgram's callback" + requestId.map(id -> " (request " + id + ")").orElse("");
        }

        @Override
        public String summary() {
            return "Record success";
        }

        @Override
        public Optional<DeepgramCall> deepgram() {
            return Optional.empty();
        }

        @Override
        public Optional<String> output() {
            return Optional.of(transcript);
        }
    }

    /**
     * Deepgram accepted a callback job: the upload ends when its result arrives, or when the sweep
     * gives up on it.
     *
     * @param resultLocation where Deepgram will write the result
     */
    record Submitted(DeepgramCall call, String resultLocation) implements Outcome {
        @Override
        public Status status() {
            return Status.SUBMITTED;
        }

        @Override
        public String reason() {
            return "submitted";
        }

        @Override
        public String message() {
            return "submitted; Deepgram writes the result to " + resultLocation;
        }

        @Override
        public String summary() {
            return "Record submitted; Deepgram calls back";
        }

        @Override
        public Optional<DeepgramCall> deepgram() {
            return Optional.of(call);
        }

        @Override
        public Optional<String> output() {
            return Optional.empty();
        }
    }

    /**
     * Waiting in the admission queue for a Deepgram slot: neither success nor failure yet, and no
     * Lambda retry spent.
     */
    record Queued(String reason, String message, Optional<DeepgramCall> deepgram) implements Outcome {
        @Override
        public Status status() {
            return Status.QUEUED;
        }

        @Override
        public String summary() {
            return "Record waits for a Deepgram slot";
        }

        @Override
        public Optional<String> output() {
            return Optional.empty();
        }
    }

    /** Nothing to transcribe (a folder marker, our own output, an upload already transcribed...). */
    record Skipped(String reason, String message) implements Outcome {
        @Override
        public Status status() {
            return Status.SKIPPED;
        }

        @Override
        public String summary() {
            return "Record skipped";
        }

        @Override
        public Optional<DeepgramCall> deepgram() {
            return Optional.empty();
        }

        @Override
        public Optional<String> output() {
            return Optional.empty();
        }
    }

    /** A failure no retry can fix (bad input, or Deepgram refused for good): an error record was written. */
    record Rejected(String reason, String message, Optional<DeepgramCall> deepgram, String errorRecord) implements Outcome {
        @Override
        public Status status() {
            return Status.FAILURE;
        }

        @Override
        public String summary() {
            return "Record failed permanently; error record written";
        }

        @Override
        public Optional<String> output() {
            return Optional.of(errorRecord);
        }
    }

    /**
     * A failure a later attempt may get past (an outage, a rate limit, a rotated key): the handler
     * throws after the other records, and Lambda retries the event.
     */
    record TransientFailure(String reason, String message, Optional<DeepgramCall> deepgram) implements Outcome {
        @Override
        public Status status() {
            return Status.FAILURE;
        }

        @Override
        public String summary() {
            return "Record failed; Lambda will retry the event";
        }

        @Override
        public Optional<String> output() {
            return Optional.empty();
        }
    }
}
