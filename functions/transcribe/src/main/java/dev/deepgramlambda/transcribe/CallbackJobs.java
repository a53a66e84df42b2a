package dev.deepgramlambda.transcribe;

import dev.deepgramlambda.deepgram.ApiKeys;
import dev.deepgramlambda.deepgram.CallStats;
import dev.deepgramlambda.deepgram.Deadline;
import dev.deepgramlambda.deepgram.DeepgramClient;
import dev.deepgramlambda.deepgram.ListenRequest;
import dev.deepgramlambda.transcribe.captions.CaptionFormat;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
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
    private final DeepgramClient deepgram;
    private final ApiKeys keys;
    private final Admission admission;
    private final Clock clock;

    CallbackJobs(S3Client s3, S3Presigner presigner, TranscribeConfig.Callbacks settings, DeepgramClient deepgram,
                 ApiKeys keys, Admission admission, Clock clock) {
        this.s3 = s3;
        this.presigner = presigner;
        this.settings = settings;
        this.deepgram = deepgram;
        this.keys = keys;
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

    /** A job for exactly this upload that may still deliver: a duplicate event must not submit again. */
    Optional<PendingJob> awaiting(SourceObject source) {
        return jobsFor(source.bucket()).find(source.bucket(), source.key())
                .filter(job -> job.awaits(source, clock.instant(), settings.timeout()));
    }

    /**
     * Submits {@code request}, unless a concurrent delivery of the same upload got there first (empty).
     * On any failure the pending record is put back as it was: removed for a first submission, so
     * Lambda's retry of the event is not mistaken for a duplicate; the overdue job restored for the
     * sweep's resubmission, so the next sweep tries again. A job this one replaces gives its slot back.
     *
     * @throws dev.deepgramlambda.deepgram.DeepgramException as {@link DeepgramClient#submit} does
     */
    Optional<PendingJob> submit(SourceObject source, ListenRequest request, Set<CaptionFormat> captions, int attempt,
                                AdmissionSlots.Slot slot, Deadline deadline, CallStats stats) {
        PendingJobs jobs = jobsFor(source.bucket());
        Optional<PendingJobs.Stored> previous = jobs.findStored(source.bucket(), source.key());
        PendingJob job = new PendingJob(source.bucket(), source.key(), source.eTag(), source.versionId(), Optional.empty(),
                clock.instant(), attempt, jobs.newResultKey(source.bucket(), source.key(), attempt), request.model(),
                request.tag(), captions, slot);
        // Written before Deepgram hears of the job: a quick result must find its record.
        if (!jobs.create(job, previous)) {
            return Optional.empty();
        }
        try {
            String url = presigner.presignPutObject(p -> p.signatureDuration(settings.timeout())
                    .putObjectRequest(o -> o.bucket(jobs.bucket()).key(job.resultKey()))).url().toString();
            PendingJob confirmed = job.confirmed(deepgram.submit(request, url, keys, deadline, stats));
            jobs.save(confirmed);
            previous.ifPresent(replaced -> admission.release(source.bucket(), replaced.job().slot()));
            return Optional.of(confirmed);
        } catch (RuntimeException e) {
            previous.ifPresentOrElse(restored -> jobs.save(restored.job()), () -> jobs.remove(job));
            throw e;
        }
    }
}
