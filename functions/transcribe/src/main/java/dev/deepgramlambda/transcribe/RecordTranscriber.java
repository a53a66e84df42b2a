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
import dev.deepgramlambda.transcribe.Outcome.DeepgramCall;
import dev.deepgramlambda.transcribe.TranscriptWriter.ErrorRecord;
import dev.deepgramlambda.transcribe.captions.CaptionFormat;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns one upload into a transcript, an error record, or a transient failure for Lambda to
 * retry, in that order of preference; it never loses a record silently.
 */
final class RecordTranscriber {
    private static final int MAX_TAG_LENGTH = 128;

    private final TranscribeConfig config;
    private final AudioStore audio;
    private final TranscriptWriter writer;
    private final DeepgramClient deepgram;
    private final ApiKeys keys;

    RecordTranscriber(TranscribeConfig config, AudioStore audio, TranscriptWriter writer, DeepgramClient deepgram, ApiKeys keys) {
        this.config = config;
        this.audio = audio;
        this.writer = writer;
        this.deepgram = deepgram;
        this.keys = keys;
    }

    Outcome transcribe(UploadEvent upload, Deadline deadline, JsonLog log) {
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
        Optional<SourceObject> described = audio.describe(upload);
        if (described.isEmpty()) {
            return new Outcome.Skipped("object-deleted", "the object was deleted before it could be transcribed");
        }
        SourceObject source = described.get();
        if (writer.hasTranscript(source)) {
            return new Outcome.Skipped("already-transcribed", "a transcript of this exact upload (ETag " + source.eTag() + ") exists");
        }
        String tag = tagFor(bucket, key);
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
        return callDeepgram(source, new ListenRequest(config.model(), options, tag, body), captions, deadline, log);
    }

    private Outcome callDeepgram(SourceObject source, ListenRequest request, Set<CaptionFormat> captions, Deadline deadline, JsonLog log) {
        CallStats stats = new CallStats();
        long started = System.nanoTime();
        try {
            ListenResponse response = listen(source, request, deadline, stats, log);
            DeepgramCall call = new DeepgramCall(stats, millisSince(started), response.requestId());
            String output = writer.writeTranscript(source, response, config.model(), request.tag(), captions);
            return new Outcome.Transcribed(call, response.durationSeconds(), output);
        } catch (DeepgramException e) {
            DeepgramCall call = new DeepgramCall(stats, millisSince(started), e.requestId());
            String reason = "deepgram-" + reasonOf(e);
            String message = e.getMessage() + stats.stopReason().map(r -> "; " + r).orElse("");
            if (!e.kind().permanent()) {
                return new Outcome.TransientFailure(reason, message, Optional.of(call));
            }
            ErrorRecord error = new ErrorRecord(reason, message,
                    e.status() == 0 ? Optional.empty() : Optional.of(e.status()), e.errorCode(),
                    Optional.ofNullable(e.deepgramMessage()), e.requestId(), stats.attempts());
            return new Outcome.Rejected(reason, message, Optional.of(call), writer.writeError(source, error, request.tag()));
        }
    }

    /**
     * Deepgram transcribes the request; when it cannot fetch the presigned URL, it gets the bytes
     * streamed instead. A streamed request never fails for an unreachable URL, so that kind never
     * reaches the caller.
     */
    private ListenResponse listen(SourceObject source, ListenRequest request, Deadline deadline, CallStats stats, JsonLog log) {
        try {
            return deepgram.listen(request, keys, deadline, stats);
        } catch (DeepgramException e) {
            if (e.kind().remedy() != DeepgramException.Remedy.SEND_AUDIO) {
                throw e;
            }
            log.warn("Deepgram could not fetch the presigned URL; streaming the object instead", Map.of(
                    "bucket", source.bucket(), "key", source.key(), "deepgramRequestId", e.requestId().orElse("")));
            return deepgram.listen(request.withAudio(audio.stream(source)), keys, deadline, stats);
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
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(tag.getBytes(StandardCharsets.UTF_8));
            return "s3/" + bucket + "/sha256-" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
