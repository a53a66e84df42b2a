package dev.deepgramlambda.transcribe;

import dev.deepgramlambda.deepgram.DeepgramException;
import dev.deepgramlambda.deepgram.ListenResponse;
import dev.deepgramlambda.logging.JsonLog;
import dev.deepgramlambda.transcribe.TranscriptWriter.ErrorRecord;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a result Deepgram wrote through a presigned PUT URL into the same transcript the
 * synchronous path writes, once it is proven to be the awaited answer for the upload as it is now.
 *
 * <p>The URL is the credential: only Deepgram holds it, for one object. The check is the match of
 * the result's {@code metadata.request_id} with the pending job's, and of the source's ETag with the
 * one submitted. Anything else ends as an error record or is discarded with a log line; it never
 * becomes a transcript. Every path is safe to run twice: Deepgram may PUT a result more than once
 * and S3 delivers each event at least once.
 */
final class CallbackCompleter {
    private final CallbackJobs callbacks;
    private final AudioStore audio;
    private final TranscriptWriter writer;
    private final Admission admission;

    CallbackCompleter(CallbackJobs callbacks, AudioStore audio, TranscriptWriter writer, Admission admission) {
        this.callbacks = callbacks;
        this.audio = audio;
        this.writer = writer;
        this.admission = admission;
    }

    /** Whether {@code key} in {@code bucket} is where Deepgram writes results. */
    boolean isResult(String bucket, String key) {
        PendingJobs jobs = callbacks.jobsFor(bucket);
        return jobs.bucket().equals(bucket) && key.startsWith(jobs.resultsPrefix());
    }

    Outcome complete(String bucket, String resultKey, JsonLog log) {
        PendingJobs jobs = callbacks.jobsFor(bucket);
        Optional<String> jobId = jobs.jobOfResult(resultKey);
        if (jobId.isEmpty()) {
            return discard(jobs, resultKey, "unknown-callback", "not a result key this function hands out");
        }
        Optional<PendingJob> pending = jobs.get(jobId.get());
        if (pending.isEmpty()) {
            return discard(jobs, resultKey, "unknown-callback", "no pending job awaits this result (already completed, or never submitted)");
        }
        PendingJob job = pending.get();
        if (!job.resultKey().equals(resultKey)) {
            return discard(jobs, resultKey, "stale-callback", "the upload was submitted again since (attempt "
                    + job.attempt() + "); this result belongs to an earlier submission");
        }
        if (job.requestId().isEmpty()) {
            // Deepgram answered before the submission recorded its request id: Lambda retries the event shortly.
            return new Outcome.TransientFailure("callback-unconfirmed", "the pending job has no request id yet", Optional.empty());
        }
        Outcome outcome = completeAwaited(jobs, job, resultKey, log);
        if (!"request-id-mismatch".equals(outcome.reason())) {
            // The job's result is in, so Deepgram is done with it: its slot goes to the next waiting upload.
            admission.release(job.bucket(), job.slot());
        }
        return outcome;
    }

    private Outcome completeAwaited(PendingJobs jobs, PendingJob job, String resultKey, JsonLog log) {
        try {
            Optional<ListenResponse> result = jobs.result(resultKey);
            if (result.isEmpty()) {
                return new Outcome.Skipped("callback-already-completed", "the result object is gone: a duplicate event completed it");
            }
            try (ListenResponse response = result.get()) {
                return completeWith(jobs, job, resultKey, response, log);
            }
        } catch (DeepgramException unusable) {
            // Found on spooling the body or on rendering it: the same body would fail the same way again.
            String reason = unusable.kind() == DeepgramException.Kind.RESPONSE_TOO_LARGE ? "callback-too-large" : "callback-invalid-body";
            return fail(jobs, job, reason, "Deepgram's callback body: " + unusable.getMessage(), Optional.empty());
        }
    }

    private Outcome completeWith(PendingJobs jobs, PendingJob job, String resultKey, ListenResponse response, JsonLog log) {
        if (!response.hasResults()) {
            DeepgramException error = DeepgramException.fromErrorBody(response.head());
            return fail(jobs, job, "deepgram-callback-error", "Deepgram's callback carries an error instead of a transcript"
                    + error.errorCode().map(c -> " (" + c + ")").orElse(""), Optional.of(error));
        }
        if (!response.requestId().equals(job.requestId())) {
            log.warn("Discarding a callback result whose request id is not the awaited one", Map.of(
                    "resultKey", resultKey, "awaited", job.requestId().orElse(""), "received", response.requestId().orElse("")));
            return discard(jobs, resultKey, "request-id-mismatch", "the result's request id is not the pending job's "
                    + job.requestId().orElse(""));
        }
        Optional<SourceObject> source = audio.describe(UploadEvent.current(job.bucket(), job.key(), "callback-result"));
        if (source.isEmpty() || !source.get().eTag().equals(job.eTag())) {
            jobs.removeResult(resultKey);
            if (source.isEmpty()) {
                jobs.remove(job);
                return new Outcome.Skipped("object-deleted", "the audio was deleted while Deepgram worked on it");
            }
            return new Outcome.Skipped("source-replaced", "the audio was replaced while Deepgram worked on it (ETag "
                    + job.eTag() + " submitted, " + source.get().eTag() + " now); the new upload is transcribed on its own");
        }
        Optional<String> output = writer.writeTranscript(source.get(), response, job.model(), job.tag(), job.captions(),
                writer.existingTranscript(source.get()));
        jobs.remove(job);
        jobs.removeResult(resultKey);
        if (output.isEmpty()) {
            return new Outcome.Skipped("superseded", "another upload's transcript landed while this result was written; not overwriting it");
        }
        long latency = Duration.between(job.submittedAt(), callbacks.clock().instant()).toMillis();
        return new Outcome.Completed(Math.max(0, latency), response.durationSeconds(), response.requestId(), output.get());
    }

    /** A result that is not ours to write, or no longer wanted: removed so it cannot linger, the job left as it is. */
    private static Outcome discard(PendingJobs jobs, String resultKey, String reason, String message) {
        jobs.removeResult(resultKey);
        return new Outcome.Skipped(reason, message);
    }

    /** The awaited result is unusable: the job ends with an error record, and its raw result goes. */
    private Outcome fail(PendingJobs jobs, PendingJob job, String reason, String message, Optional<DeepgramException> error) {
        Outcome ended = endWithErrorRecord(job, new ErrorRecord(reason, message, Optional.empty(),
                error.flatMap(DeepgramException::errorCode), error.map(DeepgramException::deepgramMessage),
                job.requestId(), job.attempt()));
        jobs.removeResult(job.resultKey());
        return ended;
    }

    /**
     * Ends a callback job for good: an error record for its upload while the audio is the one
     * submitted, none when it was replaced or deleted meanwhile. The record is written before the
     * pending job goes, so a failed write leaves the job for a retry instead of losing the upload.
     */
    Outcome endWithErrorRecord(PendingJob job, ErrorRecord error) {
        Optional<SourceObject> source = audio.describe(UploadEvent.current(job.bucket(), job.key(), "callback-job"))
                .filter(current -> current.eTag().equals(job.eTag()));
        Optional<String> location = source.map(submitted -> writer.writeError(submitted, error, job.tag()));
        callbacks.jobsFor(job.bucket()).remove(job);
        return location.<Outcome>map(written -> new Outcome.Rejected(error.reason(), error.message(), Optional.empty(), written))
                .orElseGet(() -> new Outcome.Skipped("source-replaced",
                        error.message() + "; the audio has changed or gone since, so no error record"));
    }
}
