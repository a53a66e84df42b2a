package dev.deepgramlambda.transcribe;

import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
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
import dev.deepgramlambda.transcribe.TranscriptWriter.ErrorRecord;
import dev.deepgramlambda.transcribe.captions.CaptionFormat;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns one S3 record into a transcript, an error record, or a transient failure for Lambda to
 * retry, in that order of preference; it never loses a record silently.
 */
final class RecordTranscriber {
    /** Deepgram failures that no retry can fix: written as an error record. */
    private static final Set<DeepgramException.Kind> PERMANENT = EnumSet.of(
            DeepgramException.Kind.REJECTED, DeepgramException.Kind.PAYMENT_REQUIRED,
            DeepgramException.Kind.FORBIDDEN, DeepgramException.Kind.REMOTE_AUDIO_UNREACHABLE,
            DeepgramException.Kind.RESPONSE_TOO_LARGE, DeepgramException.Kind.RESPONSE_UNREADABLE);
    private static final int MAX_TAG_LENGTH = 128;

    private final TranscribeConfig config;
    private final AudioStore audio;
    private final TranscriptWriter writer;
    private final UploadClaims claims;
    private final DeepgramClient deepgram;
    private final ApiKeys keys;
    private final Clock clock;

    RecordTranscriber(TranscribeConfig config, AudioStore audio, TranscriptWriter writer, UploadClaims claims,
                      DeepgramClient deepgram, ApiKeys keys, Clock clock) {
        this.config = config;
        this.audio = audio;
        this.writer = writer;
        this.claims = claims;
        this.deepgram = deepgram;
        this.keys = keys;
        this.clock = clock;
    }

    /** @param invocationId Lambda's request id: the same across Lambda's retries of one event */
    Outcome transcribe(S3EventNotificationRecord record, Deadline deadline, String invocationId, JsonLog log) {
        String bucket = record.getS3().getBucket().getName();
        String key = record.getS3().getObject().getUrlDecodedKey();
        String eventName = String.valueOf(record.getEventName());
        if (!eventName.startsWith("ObjectCreated")) {
            return Outcome.skipped("not-object-created", "event " + eventName + " is not an upload");
        }
        if (key.endsWith("/")) {
            return Outcome.skipped("folder-marker", "keys ending in '/' are folder markers, not audio");
        }
        if (writer.bucketFor(bucket).equals(bucket) && key.startsWith(config.outputPrefix())) {
            return Outcome.skipped("output-prefix", "refusing an object under the output prefix '"
                    + config.outputPrefix() + "': transcribing our own output would loop");
        }
        // Unversioned buckets send no versionId; the event deserializer may turn that into "".
        Optional<String> versionId = Optional.ofNullable(record.getS3().getObject().getVersionId()).filter(v -> !v.isBlank());
        Optional<SourceObject> described;
        try {
            described = audio.describe(bucket, key, versionId);
        } catch (S3Exception e) {
            SourceObject asNotified = new SourceObject(bucket, key, AudioStore.unquote(record.getS3().getObject().geteTag()),
                    versionId, record.getS3().getObject().getSizeAsLong() == null ? 0 : record.getS3().getObject().getSizeAsLong(),
                    null, Map.of(), Optional.empty());
            return unreadable(asNotified, tagFor(bucket, key), e);
        }
        if (described.isEmpty()) {
            return Outcome.skipped("object-deleted", "the object was deleted before it could be transcribed");
        }
        SourceObject source = described.get();
        TranscriptWriter.Existing existing = writer.existingTranscript(source);
        if (existing.ofThisUpload()) {
            return Outcome.skipped("already-transcribed", "a transcript of this exact upload (ETag " + source.eTag() + ") exists");
        }
        Optional<UploadClaims.Holder> heldElsewhere = claims.claim(source,
                new UploadClaims.Holder(invocationId, clock.instant().plus(deadline.remaining())));
        if (heldElsewhere.isPresent()) {
            return Outcome.skipped("in-progress", "invocation " + heldElsewhere.get().invocationId()
                    + " is transcribing this exact upload (ETag " + source.eTag() + ")");
        }
        try {
            return transcribeClaimed(source, existing, deadline, log);
        } finally {
            claims.release(source);
        }
    }

    private Outcome transcribeClaimed(SourceObject source, TranscriptWriter.Existing existing, Deadline deadline, JsonLog log) {
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
        ListenOptions options;
        Set<CaptionFormat> captions;
        try {
            options = FileOverrides.apply(config.options(), source.metadata());
            captions = FileOverrides.captions(config.captionFormats(), source.metadata());
        } catch (FileOverrides.InvalidOverrideException e) {
            return rejectInput(source, tag, "invalid-metadata", e.getMessage());
        }
        if (!captions.isEmpty()) {
            // cues follow Deepgram's utterances (its own pause and speaker splits); README "Captions" says what it costs
            options = options.with("utterances", "true");
        }
        AudioBody body = config.audioSource() == TranscribeConfig.AudioSource.URL ? audio.presignedUrl(source) : audio.stream(source);
        try {
            return callDeepgram(source, existing, new ListenRequest(config.model(), options, tag, body), captions, deadline, log);
        } catch (S3Exception e) {
            return unreadable(source, tag, e);
        }
    }

    /** An S3 refusal: an error record when no retry can fix it, else rethrown for Lambda to retry. */
    private Outcome unreadable(SourceObject source, String tag, S3Exception e) {
        String reason = AudioStore.permanentProblem(e).orElseThrow(() -> e);
        return rejectInput(source, tag, reason, "S3 refused to serve the audio (HTTP " + e.statusCode()
                + (e.awsErrorDetails() == null ? "" : ", " + e.awsErrorDetails().errorCode()) + "): "
                + e.getMessage());
    }

    private Outcome callDeepgram(SourceObject source, TranscriptWriter.Existing existing, ListenRequest request,
                                 Set<CaptionFormat> captions, Deadline deadline, JsonLog log) {
        CallStats stats = new CallStats();
        long started = System.nanoTime();
        try {
            ListenResponse response;
            try {
                response = deepgram.listen(request, keys, deadline, stats);
            } catch (DeepgramException e) {
                if (e.kind() != DeepgramException.Kind.REMOTE_AUDIO_UNREACHABLE) {
                    throw e;
                }
                log.warn("Deepgram could not fetch the presigned URL; streaming the object instead", Map.of(
                        "bucket", source.bucket(), "key", source.key(), "deepgramRequestId", e.requestId().orElse("")));
                response = deepgram.listen(request.withAudio(audio.stream(source)), keys, deadline, stats);
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            // Deepgram took a while: if the key was uploaded again meanwhile, this result is of
            // bytes that are no longer there, and the newer upload's own event brings its transcript.
            Optional<SourceObject> now = audio.describe(source.bucket(), source.key(), Optional.empty());
            if (now.isEmpty() || !now.get().sameUploadAs(source)) {
                return Outcome.skipped("source-replaced", "the object was replaced or deleted while Deepgram transcribed it"
                        + " (ETag " + source.eTag() + "); its result is not written");
            }
            Optional<String> output = writer.writeTranscript(source, response, config.model(), request.tag(), captions, existing);
            if (output.isEmpty()) {
                return Outcome.skipped("superseded", "another upload's transcript landed first (ETag " + source.eTag()
                        + " is older); not overwriting it");
            }
            return Outcome.transcribed(stats, millis, response.durationSeconds(), response.requestId(), output.get());
        } catch (DeepgramException e) {
            String message = e.getMessage() + stats.stopReason().map(r -> "; " + r).orElse("");
            if (!PERMANENT.contains(e.kind())) {
                return Outcome.transientFailure("deepgram-" + reasonOf(e), message, Optional.of(stats), e.requestId());
            }
            ErrorRecord error = new ErrorRecord("deepgram-" + reasonOf(e), message,
                    e.status() == 0 ? Optional.empty() : Optional.of(e.status()), e.errorCode(),
                    Optional.ofNullable(e.deepgramMessage()), e.requestId(), stats.attempts());
            String location = writer.writeError(source, error, request.tag());
            return Outcome.permanentFailure(error.reason(), message, Optional.of(stats), e.requestId(), location);
        }
    }

    private Outcome rejectInput(SourceObject source, String tag, String reason, String message) {
        String location = writer.writeError(source, ErrorRecord.ofInput(reason, message), tag);
        return Outcome.permanentFailure(reason, message, Optional.empty(), Optional.empty(), location);
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
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(tag.getBytes(StandardCharsets.UTF_8));
            return "s3/" + bucket + "/sha256-" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
