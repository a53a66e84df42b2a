package dev.deepgramlambda.transcribe;

import dev.deepgramlambda.deepgram.Deadline;
import dev.deepgramlambda.logging.JsonLog;
import dev.deepgramlambda.metrics.MetricNames.Status;
import dev.deepgramlambda.transcribe.TranscriptWriter.ErrorRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The scheduled look for callback results that never came (an outage at Deepgram, a URL that
 * expired, a failure on its side): an overdue job is submitted again, up to
 * {@code CALLBACK_MAX_ATTEMPTS} submissions, then ends as an error record with reason
 * {@code callback-timeout}. A job is overdue only once its URL has expired and Deepgram's retries
 * are over, so no late result can race the resubmission.
 */
final class CallbackSweep {
    /** Left for the last job's submission and the handler's log line when the sweep stops early. */
    private static final Duration RESERVE = Duration.ofSeconds(15);

    private final Pipeline pipeline;
    private final OutcomeReport report;

    CallbackSweep(Pipeline pipeline, OutcomeReport report) {
        this.pipeline = pipeline;
        this.report = report;
    }

    /** Counts of one run, for its log line. */
    record Summary(int pending, int overdue, int resubmitted, int givenUp) {}

    Summary sweep(String bucket, Deadline deadline, JsonLog log) {
        PendingJobs jobs = pipeline.callbacks.jobsFor(bucket);
        TranscribeConfig.Callbacks settings = pipeline.callbacks.settings();
        int pending = 0;
        int overdue = 0;
        int resubmitted = 0;
        int givenUp = 0;
        for (String id : jobs.jobIds()) {
            if (deadline.remaining().compareTo(RESERVE) < 0) {
                log.warn("Sweep stopped before the deadline; the next run continues", Map.of("jobsLeft", "unknown"));
                break;
            }
            pending++;
            Optional<PendingJob> found;
            try {
                found = jobs.get(id);
            } catch (IllegalArgumentException e) {
                log.error("Unreadable pending job record left in place", Map.of("job", id, "problem", e.getMessage()));
                continue;
            }
            Instant now = pipeline.callbacks.clock().instant();
            if (found.isEmpty() || !found.get().overdue(now, settings.timeout())) {
                continue;
            }
            PendingJob job = found.get();
            overdue++;
            report.callbackTimedOut(job);
            long started = System.nanoTime();
            Outcome outcome;
            if (job.attempt() < settings.maxAttempts()) {
                outcome = pipeline.transcriber.resubmit(job, deadline, log);
                if (outcome.status() == Status.SUBMITTED) {
                    resubmitted++;
                } else if (!outcome.retryable()) {
                    // Transcribed, replaced, deleted or rejected meanwhile: the job is over either way.
                    jobs.remove(job);
                }
            } else {
                outcome = giveUp(jobs, job, settings);
                givenUp++;
            }
            report.report(job.bucket(), job.key(), outcome, (System.nanoTime() - started) / 1_000_000, log);
        }
        return new Summary(pending, overdue, resubmitted, givenUp);
    }

    private Outcome giveUp(PendingJobs jobs, PendingJob job, TranscribeConfig.Callbacks settings) {
        String message = "no result from Deepgram within " + settings.timeout().toMinutes() + " minutes of submission, "
                + job.attempt() + " submission(s) made";
        Optional<SourceObject> source = pipeline.audio.describe(job.bucket(), job.key(), Optional.empty())
                .filter(current -> current.eTag().equals(job.eTag()));
        jobs.remove(job);
        if (source.isEmpty()) {
            return Outcome.skipped("source-replaced", message + "; the audio has changed or gone since, so no error record");
        }
        String location = pipeline.writer.writeError(source.get(), new ErrorRecord("callback-timeout", message,
                Optional.empty(), Optional.empty(), Optional.empty(), job.requestId(), job.attempt()), job.tag());
        return Outcome.permanentFailure("callback-timeout", message, Optional.empty(), job.requestId(), location);
    }
}
