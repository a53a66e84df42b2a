package dev.deepgramlambda.transcribe;

import dev.deepgramlambda.deepgram.Deadline;
import dev.deepgramlambda.logging.JsonLog;
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
    /**
     * While uploads wait, the sweep keeps admitting them as slots free up, for up to this long: under
     * the one-minute schedule, so one run ends before the next begins.
     */
    static final Duration ADMISSION_WINDOW = Duration.ofSeconds(50);
    /** How often a waiting sweep looks for freed slots: two S3 listings each time. */
    static final Duration ADMISSION_POLL = Duration.ofMillis(500);

    private final Pipeline pipeline;
    private final QueueDrain drain;

    CallbackSweep(Pipeline pipeline) {
        this.pipeline = pipeline;
        this.drain = new QueueDrain(pipeline);
    }

    /** Counts of one run, for its log line. */
    record Summary(int pending, int overdue, int resubmitted, int givenUp, int slotsReclaimed, int admitted) {}

    /**
     * Overdue jobs first (their slots come back), then slots whose holder died, then waiting uploads
     * as slots free up, for up to {@link #ADMISSION_WINDOW}; then the admission gauges.
     */
    Summary sweep(String bucket, Deadline deadline, JsonLog log) {
        JobCounts jobs = sweepJobs(bucket, deadline, log);
        int reclaimed = pipeline.admission.slots(bucket).reclaimExpired(pipeline.admission.clock().instant());
        AdmissionQueue queue = pipeline.admission.queue(bucket);
        int admitted = 0;
        long windowEnds = System.nanoTime() + ADMISSION_WINDOW.toNanos();
        while (true) {
            admitted += drain.admit(bucket, deadline, log);
            if (queue.isEmpty() || System.nanoTime() > windowEnds
                    || deadline.remaining().compareTo(RESERVE.plus(ADMISSION_POLL)) < 0) {
                break;
            }
            pause();
        }
        Duration oldestWait = queue.oldest(1).stream().findFirst()
                .map(oldest -> Duration.between(oldest.queuedAt(), pipeline.admission.clock().instant()))
                .orElse(Duration.ZERO);
        pipeline.metrics.admissionState(queue.size(), pipeline.admission.slots(bucket).inFlight(), oldestWait);
        return new Summary(jobs.pending(), jobs.overdue(), jobs.resubmitted(), jobs.givenUp(), reclaimed, admitted);
    }

    /** What the look at pending jobs found and did. */
    private record JobCounts(int pending, int overdue, int resubmitted, int givenUp) {}

    private JobCounts sweepJobs(String bucket, Deadline deadline, JsonLog log) {
        PendingJobs jobs = pipeline.callbacks.jobsFor(bucket);
        TranscribeConfig.Callbacks settings = pipeline.callbacks.settings();
        int pending = 0;
        int overdue = 0;
        int resubmitted = 0;
        int givenUp = 0;
        for (String id : jobs.jobIds()) {
            if (deadline.remaining().compareTo(RESERVE) < 0) {
                log.warn("Sweep stopped before the deadline; the next run continues", Map.of("jobsLooked", pending));
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
            pipeline.metrics.callbackTimedOut(job);
            long started = System.nanoTime();
            Outcome outcome;
            // No result can come any more: Deepgram is done with the job, whatever it did.
            pipeline.admission.release(job.bucket(), job.slot());
            if (job.attempt() < settings.maxAttempts()) {
                outcome = pipeline.transcriber.resubmit(job, deadline, log);
                if (outcome instanceof Outcome.Submitted) {
                    resubmitted++;
                } else if (!(outcome instanceof Outcome.TransientFailure)) {
                    // Transcribed, replaced, deleted or rejected meanwhile: the job is over either way.
                    jobs.remove(job);
                }
            } else {
                outcome = giveUp(job, settings);
                givenUp++;
            }
            pipeline.report.report(UploadEvent.current(job.bucket(), job.key(), "callback-sweep"), outcome,
                    (System.nanoTime() - started) / 1_000_000, log);
        }
        return new JobCounts(pending, overdue, resubmitted, givenUp);
    }

    private static void pause() {
        try {
            Thread.sleep(ADMISSION_POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("sweep interrupted", e);
        }
    }

    private Outcome giveUp(PendingJob job, TranscribeConfig.Callbacks settings) {
        String message = "no result from Deepgram within " + settings.timeout().toMinutes() + " minutes of submission, "
                + job.attempt() + " submission(s) made";
        return pipeline.completer.endWithErrorRecord(job, new ErrorRecord("callback-timeout", message,
                Optional.empty(), Optional.empty(), Optional.empty(), job.requestId(), job.attempt()));
    }
}
