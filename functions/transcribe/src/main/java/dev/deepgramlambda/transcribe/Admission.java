package dev.deepgramlambda.transcribe;

import dev.deepgramlambda.deepgram.Deadline;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Admission control: a file takes one of {@code DEEPGRAM_MAX_CONCURRENCY} slots before Deepgram
 * hears of it, and waits in the {@link AdmissionQueue} when none is free. State lives beside the
 * callback jobs, in the callback bucket under the callback prefix.
 */
final class Admission {
    /** On top of a slot's expected use: a lease never ends while its holder can still legitimately use it. */
    private static final Duration LEASE_MARGIN = Duration.ofMinutes(1);

    private final S3Client s3;
    private final TranscribeConfig.Callbacks callbacks;
    private final int limit;
    private final Clock clock;

    Admission(S3Client s3, TranscribeConfig.Callbacks callbacks, int limit, Clock clock) {
        this.s3 = s3;
        this.callbacks = callbacks;
        this.limit = limit;
        this.clock = clock;
    }

    int limit() {
        return limit;
    }

    Clock clock() {
        return clock;
    }

    AdmissionSlots slots(String sourceBucket) {
        return new AdmissionSlots(s3, callbacks.bucketFor(sourceBucket), callbacks.prefix(), limit);
    }

    AdmissionQueue queue(String sourceBucket) {
        return new AdmissionQueue(s3, callbacks.bucketFor(sourceBucket), callbacks.prefix());
    }

    /**
     * A slot for one Deepgram job of {@code source}. A synchronous job holds it for the rest of the
     * invocation; a callback job until its result can no longer arrive (URL validity plus
     * Deepgram's retry window), when the sweep would reclaim it. A new upload takes no slot while
     * older ones wait: it joins the queue behind them.
     */
    Optional<AdmissionSlots.Slot> tryAcquire(SourceObject source, Delivery delivery, boolean fromQueue, Deadline deadline) {
        if (!fromQueue && !queue(source.bucket()).isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Duration use = delivery == Delivery.SYNC ? deadline.remaining()
                : callbacks.timeout().plus(PendingJobs.DEEPGRAM_RETRY_WINDOW);
        String holder = PendingJobs.jobId(source.bucket(), source.key()) + "@" + now.toEpochMilli() + "-" + System.nanoTime();
        return slots(source.bucket()).tryAcquire(holder, now.plus(use).plus(LEASE_MARGIN));
    }

    void release(String sourceBucket, AdmissionSlots.Slot slot) {
        slots(sourceBucket).release(slot);
    }
}
