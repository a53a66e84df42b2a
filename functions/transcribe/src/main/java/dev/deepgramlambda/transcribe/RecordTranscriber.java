package dev.deepgramlambda.transcribe;

import dev.deepgramlambda.deepgram.ApiKeys;
import dev.deepgramlambda.deepgram.AudioBody;
import dev.deepgramlambda.deepgram.CallStats;
import dev.deepgramlambda.deepgram.Deadline;
import dev.deepgramlambda.deepgram.DeepgramClient;
import dev.deepgramlambda.deepgram.DeepgramException;
import dev.deepgramlambda.deepgram.ListenOptions;
import dev.deepgramlambda.deepgram.ListenRequest;
import dev.deepgramlambda.deepgram.ListenResponse;
import dev.deepgramlambda.logging.JsonLog;
import dev.deepgramlambda.outputs.OutputNames;
import dev.deepgramlambda.transcribe.Outcome.DeepgramCall;
import dev.deepgramlambda.transcribe.TranscriptWriter.ErrorRecord;
import dev.deepgramlambda.transcribe.captions.CaptionFormat;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns one upload into a transcript, a callback job, a place in the admission queue, an error
 * record, or a transient failure for Lambda to retry, in that order of preference; it never loses a
 * record silently.
 */
final class RecordTranscriber {
    private static final int MAX_TAG_LENGTH = 128;

    private final TranscribeConfig config;
    private final AudioStore audio;
    private final TranscriptWriter writer;
    private final DeepgramClient deepgram;
    private final ApiKeys keys;
    private final CallbackJobs callbacks;
    private final Admission admission;
    private final UploadClaims claims;

    RecordTranscriber(TranscribeConfig config, AudioStore audio, TranscriptWriter writer, DeepgramClient deepgram,
                      ApiKeys keys, CallbackJobs callbacks, Admission admission, UploadClaims claims) {
        this.config = config;
        this.audio = audio;
        this.writer = writer;
        this.deepgram = deepgram;
        this.keys = keys;
        this.callbacks = callbacks;
        this.admission = admission;
        this.claims = claims;
    }

    /** @param invocationId Lambda's request id: the same across Lambda's retries of one event */
    Outcome transcribe(UploadEvent upload, Deadline deadline, String invocationId, JsonLog log) {
        String bucket = upload.bucket();
        String key = upload.key();
        if (!upload.isObjectCreated()) {
            return new Outcome.Skipped("not-object-created", "event " + upload.eventName() + " is not an upload");
        }
        if (key.endsWith("/")) {
            return new Outcome.Skipped("folder-marker", "keys ending in '/' are folder markers, not audio");
        }
        if (writer.bucketFor(bucket).equals(bucket) && key.startsWith(config.outputPrefix())) {
            return new Outcome.Skipped("output-prefix", "refusing an object under the output prefix '"
                    + config.outputPrefix() + "': transcribing our own output would loop");
        }
        if (config.callbacks().bucketFor(bucket).equals(bucket) && key.startsWith(config.callbacks().prefix())) {
            return new Outcome.Skipped("callback-prefix", "refusing an object under the callback prefix '"
                    + config.callbacks().prefix() + "': it holds job state and Deepgram's results, not audio");
        }
        return transcribe(upload, Submission.first(invocationId), deadline, log);
    }

    /**
     * Admits an upload that waited for a Deepgram slot, by callback: the same checks as a new upload.
     * Without a free slot it stays where it is in the queue.
     */
    Outcome admit(AdmissionQueue.Entry waiting, Deadline deadline, JsonLog log) {
        return transcribe(UploadEvent.current(waiting.bucket(), waiting.key(), "admission-queue"),
                new Submission(1, Optional.of(waiting), ""), deadline, log);
    }

    /**
     * Submits an upload whose callback never came again, as the sweep does: the same checks as a new
     * upload (it may have been transcribed, replaced or deleted meanwhile), always by callback.
     */
    Outcome resubmit(PendingJob overdue, Deadline deadline, JsonLog log) {
        return transcribe(UploadEvent.current(overdue.bucket(), overdue.key(), "callback-sweep"),
                new Submission(overdue.attempt() + 1, Optional.empty(), ""), deadline, log);
    }

    /**
     * Which submission of an upload this is, and whether it comes out of the admission queue. Every
     * one after the first, and every admission from the queue, is the sweep's, so it goes by
     * callback: nobody waits on it.
     *
     * @param invocationId the Lambda request id that claims a synchronous transcription (see {@link UploadClaims})
     */
    private record Submission(int attempt, Optional<AdmissionQueue.Entry> waited, String invocationId) {
        static Submission first(String invocationId) {
            return new Submission(1, Optional.empty(), invocationId);
        }

        Optional<Delivery> forcedDelivery() {
            return attempt > 1 || waited.isPresent() ? Optional.of(Delivery.CALLBACK) : Optional.empty();
        }
    }

    private Outcome transcribe(UploadEvent upload, Submission submission, Deadline deadline, JsonLog log) {
        Optional<SourceObject> described;
        try {
            described = audio.describe(upload);
        } catch (S3Exception e) {
            // The source cannot be described, so the error record says what the event (or the queue or
            // job it came from) knows of it. Every entry point ends here: a sweep meeting a source S3
            // refuses for good ends that job with an error record instead of stopping on it.
            SourceObject asNotified = new SourceObject(upload.bucket(), upload.key(), upload.eTag().map(AudioStore::unquote).orElse(""),
                    upload.versionId(), 0, null, Map.of(), Optional.empty());
            return unreadable(asNotified, tagFor(upload.bucket(), upload.key()), e);
        }
        if (described.isEmpty()) {
            return new Outcome.Skipped("object-deleted", "the object was deleted before it could be transcribed");
        }
        SourceObject source = described.get();
        TranscriptWriter.Existing existing = writer.existingTranscript(source);
        if (existing.ofThisUpload()) {
            return alreadyTranscribed(source);
        }
        String tag = tagFor(source.bucket(), source.key());
        if (source.archived().isPresent()) {
            return rejectInput(source, tag, "source-archived", source.archived().get() + "; restore it, then upload again");
        }
        if (source.size() == 0) {
            return rejectInput(source, tag, "empty-object", "the object is empty (0 bytes)");
        }
        if (source.size() > config.maxAudioBytes()) {
            return rejectInput(source, tag, "too-large", "the object is " + source.size()
                    + " bytes, over MAX_AUDIO_BYTES (" + config.maxAudioBytes() + ")");
        }
        FileOverrides.Overrides overrides;
        try {
            overrides = FileOverrides.apply(config.options(), config.captionFormats(), source.metadata());
        } catch (FileOverrides.InvalidOverrideException e) {
            return rejectInput(source, tag, "invalid-metadata", e.getMessage());
        }
        ListenOptions options = overrides.options();
        if (!overrides.captions().isEmpty()) {
            // cues follow Deepgram's utterances (its own pause and speaker splits); README "Captions" says what it costs
            options = options.with("utterances", "true");
        }
        Delivery delivery = submission.forcedDelivery()
                .orElseGet(() -> config.delivery().choose(source.size(), overrides.delivery()));
        Optional<PendingJobs.Stored> pending = Optional.empty();
        if (delivery == Delivery.CALLBACK) {
            // Read once and carried to the submission, whose conditional write fails if another delivery
            // submitted since: a second read there would let this one overwrite that job and pay twice.
            pending = callbacks.pending(source);
            Optional<PendingJob> waiting = pending.map(PendingJobs.Stored::job).filter(job -> callbacks.awaits(job, source));
            if (waiting.isPresent()) {
                return new Outcome.Skipped("already-submitted", "this exact upload was submitted at "
                        + waiting.get().submittedAt() + " and its callback is still awaited");
            }
        }
        Optional<AdmissionSlots.Slot> slot = admission.tryAcquire(source, delivery, submission.waited().isPresent(), deadline);
        if (slot.isEmpty()) {
            return waitForSlot(source, submission, "no-free-slot", "all " + admission.limit()
                    + " Deepgram slots (DEEPGRAM_MAX_CONCURRENCY) are taken, or older uploads wait for one", Optional.empty());
        }
        AudioBody body = config.audioSource() == TranscribeConfig.AudioSource.URL ? audio.presignedUrl(source) : audio.stream(source);
        ListenRequest request = new ListenRequest(config.model(), options, tag, body);
        try {
            if (delivery == Delivery.CALLBACK) {
                return callDeepgram(source, existing, pending, request, overrides.captions(), delivery, submission, slot.get(),
                        deadline, log);
            }
            Optional<UploadClaims.Holder> heldElsewhere = claims.claim(source,
                    new UploadClaims.Holder(submission.invocationId(), admission.clock().instant().plus(deadline.remaining())));
            if (heldElsewhere.isPresent()) {
                admission.release(source.bucket(), slot.get());
                return new Outcome.Skipped("in-progress", "invocation " + heldElsewhere.get().invocationId()
                        + " is transcribing this exact upload (ETag " + source.eTag() + ")");
            }
            try {
                // A concurrent delivery may have finished, and released its claim, between our first look and
                // our claim: without this second look, its upload would be paid for twice.
                TranscriptWriter.Existing claimed = writer.existingTranscript(source);
                if (claimed.ofThisUpload()) {
                    admission.release(source.bucket(), slot.get());
                    return alreadyTranscribed(source);
                }
                return callDeepgram(source, claimed, pending, request, overrides.captions(), delivery, submission, slot.get(),
                        deadline, log);
            } finally {
                claims.release(source);
            }
        } catch (S3Exception e) {
            return unreadable(source, tag, e);
        }
    }

    private static Outcome alreadyTranscribed(SourceObject source) {
        return new Outcome.Skipped("already-transcribed", "a transcript of this exact upload (ETag " + source.eTag() + ") exists");
    }

    /** An S3 refusal: an error record when no retry can fix it, else rethrown for Lambda to retry. */
    private Outcome unreadable(SourceObject source, String tag, S3Exception e) {
        String reason = AudioStore.permanentProblem(e).orElseThrow(() -> e);
        return rejectInput(source, tag, reason, "S3 refused to serve the audio (HTTP " + e.statusCode()
                + (e.awsErrorDetails() == null ? "" : ", " + e.awsErrorDetails().errorCode()) + "): " + e.getMessage());
    }

    /** Into the admission queue, or, for an upload already in it, left where it is. */
    private Outcome waitForSlot(SourceObject source, Submission submission, String reason, String message,
                                Optional<DeepgramCall> call) {
        if (submission.waited().isPresent()) {
            return new Outcome.Queued(reason, message + "; still waiting since " + submission.waited().get().queuedAt(), call);
        }
        admission.queue(source.bucket()).enqueue(source, admission.clock().instant(), reason);
        return new Outcome.Queued(reason, message + "; queued for admission", call);
    }

    /** @param pending the upload's pending record as read before deciding to submit; empty for sync delivery */
    private Outcome callDeepgram(SourceObject source, TranscriptWriter.Existing existing, Optional<PendingJobs.Stored> pending,
                                 ListenRequest request, Set<CaptionFormat> captions, Delivery delivery, Submission submission, AdmissionSlots.Slot slot,
                                 Deadline deadline, JsonLog log) {
        CallStats stats = new CallStats();
        long started = System.nanoTime();
        // A callback job keeps its slot until its result is in; everything else gives it back here.
        boolean slotKeptByJob = false;
        try {
            return switch (delivery) {
                case SYNC -> {
                    try (ListenResponse response = withStreamingFallback(source, request, log,
                            r -> deepgram.listen(r, keys, deadline, stats))) {
                        DeepgramCall call = new DeepgramCall(stats, millisSince(started), response.requestId());
                        // Deepgram took a while: if the key was uploaded again meanwhile, this result is of
                        // bytes (or options) no longer there, and the newer upload's own event brings its transcript.
                        Optional<SourceObject> now = audio.describe(UploadEvent.current(source.bucket(), source.key(), "re-check"));
                        if (now.isEmpty() || !now.get().sameUploadAs(source)) {
                            yield new Outcome.Skipped("source-replaced", "the object was replaced or deleted while Deepgram"
                                    + " transcribed it (ETag " + source.eTag() + "); its result is not written");
                        }
                        Optional<String> output = writer.writeTranscript(source, response, config.model(), request.tag(), captions, existing);
                        if (output.isEmpty()) {
                            yield new Outcome.Skipped("superseded", "another upload's transcript landed first (ETag " + source.eTag()
                                    + " is older); not overwriting it");
                        }
                        yield new Outcome.Transcribed(call, response.durationSeconds(), output.get());
                    }
                }
                case CALLBACK -> {
                    Optional<PendingJob> job = callbacks.submit(source, pending, request, captions, submission.attempt(), slot,
                            resultUrl -> withStreamingFallback(source, request, log,
                                    r -> deepgram.submit(r, resultUrl, keys, deadline, stats)));
                    if (job.isEmpty()) {
                        yield new Outcome.Skipped("already-submitted", "a concurrent delivery of this upload submitted it");
                    }
                    slotKeptByJob = true;
                    yield new Outcome.Submitted(new DeepgramCall(stats, millisSince(started), job.get().requestId()),
                            "s3://" + config.callbacks().bucketFor(source.bucket()) + "/" + job.get().resultKey());
                }
            };
        } catch (DeepgramException e) {
            DeepgramCall call = new DeepgramCall(stats, millisSince(started), e.requestId());
            String reason = "deepgram-" + reasonOf(e);
            String message = e.getMessage() + stats.stopReason().map(r -> "; " + r).orElse("");
            if (e.kind() == DeepgramException.Kind.RATE_LIMITED) {
                // Deepgram's limit is lower than ours, or shared with other clients: wait durably for a slot.
                return waitForSlot(source, submission, "deepgram-rate-limited", message, Optional.of(call));
            }
            if (!e.kind().permanent()) {
                return new Outcome.TransientFailure(reason, message, Optional.of(call));
            }
            ErrorRecord error = new ErrorRecord(reason, message,
                    e.status() == 0 ? Optional.empty() : Optional.of(e.status()), e.errorCode(),
                    Optional.ofNullable(e.deepgramMessage()), e.requestId(), stats.attempts());
            return new Outcome.Rejected(reason, message, Optional.of(call), writer.writeError(source, error, request.tag()));
        } finally {
            if (!slotKeptByJob) {
                admission.release(source.bucket(), slot);
            }
        }
    }

    /**
     * Deepgram works on the request; when it cannot fetch the presigned URL, it gets the bytes
     * streamed instead. A streamed request never fails for an unreachable URL, so that kind never
     * reaches the caller.
     */
    private <T> T withStreamingFallback(SourceObject source, ListenRequest request, JsonLog log, Function<ListenRequest, T> call) {
        try {
            return call.apply(request);
        } catch (DeepgramException e) {
            if (e.kind().remedy() != DeepgramException.Remedy.SEND_AUDIO) {
                throw e;
            }
            log.warn("Deepgram could not fetch the presigned URL; streaming the object instead", Map.of(
                    "bucket", source.bucket(), "key", source.key(), "deepgramRequestId", e.requestId().orElse("")));
            return call.apply(request.withAudio(audio.stream(source)));
        }
    }

    private Outcome rejectInput(SourceObject source, String tag, String reason, String message) {
        String location = writer.writeError(source, ErrorRecord.ofInput(reason, message), tag);
        return new Outcome.Rejected(reason, message, Optional.empty(), location);
    }

    private static long millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    private static String reasonOf(DeepgramException e) {
        return e.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /**
     * Deepgram's usage reports group requests by tag; this one names the source object so a bill can
     * be traced to an upload. ASCII-only (it is also stored as S3 metadata); over-long ones are hashed.
     */
    static String tagFor(String bucket, String key) {
        String tag = "s3/" + bucket + "/" + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
        if (tag.length() <= MAX_TAG_LENGTH) {
            return tag;
        }
        return "s3/" + bucket + "/sha256-" + OutputNames.sha256Hex(tag).substring(0, 32);
    }
}
