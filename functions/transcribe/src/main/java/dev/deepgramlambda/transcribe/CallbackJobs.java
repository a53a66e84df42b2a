package dev.deepgramlambda.transcribe;

import dev.deepgramlambda.deepgram.ListenRequest;
import dev.deepgramlambda.transcribe.captions.CaptionFormat;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Submits callback jobs: a pending record first, then the request with a presigned PUT URL for the
 * one result object Deepgram may write, then the record confirmed with Deepgram's request id.
 */
final class CallbackJobs {
    private final S3Client s3;
    private final S3Presigner presigner;
    private final TranscribeConfig.Callbacks settings;
    private final Admission admission;
    private final Clock clock;

    CallbackJobs(S3Client s3, S3Presigner presigner, TranscribeConfig.Callbacks settings, Admission admission, Clock clock) {
        this.s3 = s3;
        this.presigner = presigner;
        this.settings = settings;
        this.admission = admission;
        this.clock = clock;
    }

    TranscribeConfig.Callbacks settings() {
        return settings;
    }

    Clock clock() {
        return clock;
    }

    /** The state store for uploads in {@code sourceBucket}. */
    PendingJobs jobsFor(String sourceBucket) {
        return new PendingJobs(s3, settings.bucketFor(sourceBucket), settings.prefix());
    }

    /**
     * This upload's pending record as stored now, if any. Read once per delivery: the decision to
     * submit is made on it, and {@link #submit} writes only if the record is still what was read.
     */
    Optional<PendingJobs.Stored> pending(SourceObject source) {
        return jobsFor(source.bucket()).findStored(source.bucket(), source.key());
    }

    /** A job for exactly this upload that may still deliver: a duplicate event must not submit again. */
    boolean awaits(PendingJob job, SourceObject source) {
        return job.awaits(source, clock.instant(), settings.timeout());
    }

    /**
     * Submits an upload by callback, unless its pending record is no longer {@code seen}: a
     * concurrent delivery of the same upload got there first (empty). The record is written once,
     * before Deepgram hears of the job, so that a quick result finds it; {@code send} may ask
     * Deepgram more than once (the URL, then the streamed bytes) within that one record.
     * On any failure the pending record is put back as it was: removed for a first submission, so
     * Lambda's retry of the event is not mistaken for a duplicate; the overdue job restored for the
     * sweep's resubmission, so the next sweep tries again. A job this one replaces gives its slot back.
     *
     * @param seen what {@link #pending} returned when the decision to submit was made
     * @param request the request {@code send} makes: its model and tag go into the record
     * @param send asks Deepgram for the transcript, to be PUT to the result URL it is given; returns Deepgram's request id
     * @throws dev.deepgramlambda.deepgram.DeepgramException as {@code send} does
     */
    Optional<PendingJob> submit(SourceObject source, Optional<PendingJobs.Stored> seen, ListenRequest request,
                                Set<CaptionFormat> captions, int attempt, AdmissionSlots.Slot slot, Function<String, String> send) {
        PendingJobs jobs = jobsFor(source.bucket());
        PendingJob job = new PendingJob(source.bucket(), source.key(), source.eTag(), source.versionId(), Optional.empty(),
                clock.instant(), attempt, jobs.newResultKey(source.bucket(), source.key(), attempt), request.model(),
                request.tag(), captions, slot);
        if (!jobs.create(job, seen)) {
            return Optional.empty();
        }
        try {
            String url = presigner.presignPutObject(p -> p.signatureDuration(settings.timeout())
                    .putObjectRequest(o -> o.bucket(jobs.bucket()).key(job.resultKey()))).url().toString();
            PendingJob confirmed = job.confirmed(send.apply(url));
            jobs.save(confirmed);
            seen.ifPresent(replaced -> admission.release(source.bucket(), replaced.job().slot()));
            return Optional.of(confirmed);
        } catch (RuntimeException e) {
            seen.ifPresentOrElse(restored -> jobs.save(restored.job()), () -> jobs.remove(job));
            throw e;
        }
    }
}
