package dev.deepgramlambda.transcribe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepgramlambda.deepgram.ListenResponse;
import dev.deepgramlambda.outputs.OutputNames;
import dev.deepgramlambda.spool.Spool;
import dev.deepgramlambda.transcribe.captions.CaptionFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Writes results under the output prefix: {@code {key}.json} (Deepgram's response, byte for byte,
 * uploaded from its spooled file), the {@link Rendering renderings} beside it ({@code {key}.txt}, then
 * {@code .srt} and {@code .vtt} together, each rendered into a spooled file first, so memory does not
 * grow with the transcript) and, for permanent failures, {@code {key}.error.json} (names per {@link OutputNames}). Each carries
 * metadata tying it to the exact source key and version it was made from.
 *
 * <p>The {@code .json} is written conditionally ({@code If-None-Match: *} when no transcript was
 * there, {@code If-Match} on the one that was): when a newer upload of the same key finished first,
 * an older result never overwrites it.
 */
final class TranscriptWriter {
    static final String SOURCE_ETAG = "source-etag";
    static final String SOURCE_KEY_SHA256 = "source-key-sha256";
    static final String SOURCE_OPTIONS_SHA256 = "source-options-sha256";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** S3 allows 2 KB of user metadata in all; a very long encoded key is cut, the ETag still identifies the source. */
    private static final int MAX_KEY_METADATA = 1024;

    private final S3Client s3;
    private final OutputNames names;
    private final Optional<String> outputBucket;
    private final Clock clock;

    TranscriptWriter(S3Client s3, Optional<String> outputBucket, OutputNames names, Clock clock) {
        this.s3 = s3;
        this.outputBucket = outputBucket;
        this.names = names;
        this.clock = clock;
    }

    String bucketFor(String sourceBucket) {
        return outputBucket.orElse(sourceBucket);
    }

    /**
     * What the transcript name holds now.
     *
     * @param objectETag the transcript object's own ETag, empty when there is none
     * @param ofThisUpload it was made from exactly this upload: source key, ETag and {@code dg-*} options
     */
    record Existing(Optional<String> objectETag, boolean ofThisUpload) {}

    Existing existingTranscript(SourceObject source) {
        return MissingObjects.ifExists(() -> s3.headObject(r -> r.bucket(bucketFor(source.bucket())).key(names.transcript(source.key()))))
                .map(head -> new Existing(Optional.of(head.eTag()), madeFrom(source, head.metadata())))
                .orElse(new Existing(Optional.empty(), false));
    }

    /** Whether a transcript's metadata says it was made from exactly this upload: key, ETag and {@code dg-*} options. */
    private static boolean madeFrom(SourceObject source, Map<String, String> metadata) {
        boolean sameKey = metadata.containsKey(SOURCE_KEY_SHA256)
                ? OutputNames.sha256Hex(source.key()).equals(metadata.get(SOURCE_KEY_SHA256))
                : URLEncoder.encode(source.key(), StandardCharsets.UTF_8).equals(metadata.get("source-key"));
        // Transcripts written before the options were recorded were made without dg-* options or with them
        // unrecorded; both read as "no options", so a redelivery of an old plain upload is still skipped.
        boolean sameOptions = source.optionsFingerprint().equals(
                metadata.getOrDefault(SOURCE_OPTIONS_SHA256, OutputNames.sha256Hex("")));
        return sameKey && sameOptions && source.eTag().equals(metadata.get(SOURCE_ETAG));
    }

    /**
     * Writes every rendering first and the {@code .json} last: the JSON is what the idempotency
     * check looks for, so it must only exist once everything else does. Caption files this upload
     * did not ask for are removed, so none is left from an earlier version of the audio. The JSON
     * is written only if the transcript name still holds what {@code seen} found; otherwise another
     * upload's result landed meanwhile and this one is not written.
     *
     * @return the JSON's location, or empty when a newer result was there first
     */
    Optional<String> writeTranscript(SourceObject source, ListenResponse response, String model, String tag,
                                     Set<CaptionFormat> captions, Existing seen) {
        Map<String, String> metadata = sourceMetadata(source, tag);
        response.requestId().ifPresent(id -> metadata.put("deepgram-request-id", id));
        metadata.put("model", response.models().isEmpty() ? model : String.join(",", response.models()));
        response.durationSeconds().ifPresent(seconds -> metadata.put("audio-duration-seconds", Double.toString(seconds)));
        String bucket = bucketFor(source.bucket());
        for (Rendering rendering : Rendering.of(captions)) {
            List<Rendering.Rendered> rendered = rendering.renderToFiles(response);
            try {
                for (Rendering.Rendered file : rendered) {
                    put(bucket, names.output(source.key(), file.output().suffix()), RequestBody.fromFile(file.file()),
                            file.output().contentType(), metadata);
                }
            } finally {
                rendered.forEach(file -> Spool.delete(file.file()));
            }
        }
        for (CaptionFormat format : CaptionFormat.values()) {
            if (!captions.contains(format)) {
                s3.deleteObject(r -> r.bucket(bucket).key(names.output(source.key(), "." + format.extension())));
            }
        }
        String jsonKey = names.transcript(source.key());
        try {
            s3.putObject(r -> r.bucket(bucket).key(jsonKey).contentType("application/json").metadata(metadata)
                            .ifNoneMatch(seen.objectETag().isEmpty() ? "*" : null).ifMatch(seen.objectETag().orElse(null)),
                    RequestBody.fromFile(response.file()));
        } catch (S3Exception e) {
            if (e.statusCode() != 412) {
                throw e;
            }
            // Either a newer upload's transcript is there, or this very write landed and the SDK sent it
            // again after losing S3's answer (a socket timeout while S3 stored a large body).
            if (!holds(bucket, jsonKey, metadata, response)) {
                return Optional.empty();
            }
        }
        s3.deleteObject(r -> r.bucket(bucket).key(names.error(source.key())));
        return Optional.of("s3://" + bucket + "/" + jsonKey);
    }

    /**
     * Whether {@code key} holds this answer: exactly this metadata, Deepgram's request id included,
     * and the answer's full length (an upload cut short is never taken for ours).
     */
    private boolean holds(String bucket, String key, Map<String, String> metadata, ListenResponse response) {
        long length = fileSize(response.file());
        return MissingObjects.ifExists(() -> s3.headObject(r -> r.bucket(bucket).key(key)))
                .map(head -> head.metadata().equals(metadata) && head.contentLength() == length)
                .orElse(false);
    }

    private static long fileSize(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code {key}.error.json} and returns its location. */
    String writeError(SourceObject source, ErrorRecord error, String tag) {
        ObjectNode record = JSON.createObjectNode();
        ObjectNode src = record.putObject("source");
        src.put("bucket", source.bucket());
        src.put("key", source.key());
        src.put("eTag", source.eTag());
        source.versionId().ifPresent(v -> src.put("versionId", v));
        src.put("size", source.size());
        record.put("reason", error.reason());
        record.put("message", error.message());
        error.httpStatus().ifPresent(status -> record.put("httpStatus", status));
        error.deepgramErrorCode().ifPresent(code -> record.put("deepgramErrorCode", code));
        error.deepgramMessage().ifPresent(message -> record.put("deepgramMessage", message));
        error.deepgramRequestId().ifPresent(id -> record.put("deepgramRequestId", id));
        record.put("attempts", error.attempts());
        record.put("tag", tag);
        record.put("failedAt", clock.instant().toString());
        String bucket = bucketFor(source.bucket());
        String key = names.error(source.key());
        put(bucket, key, RequestBody.fromString(record.toPrettyString(), StandardCharsets.UTF_8), "application/json",
                sourceMetadata(source, tag));
        return "s3://" + bucket + "/" + key;
    }

    private void put(String bucket, String key, RequestBody body, String contentType, Map<String, String> metadata) {
        s3.putObject(r -> r.bucket(bucket).key(key).contentType(contentType).metadata(metadata), body);
    }

    private static Map<String, String> sourceMetadata(SourceObject source, String tag) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("source-bucket", source.bucket());
        String encodedKey = URLEncoder.encode(source.key(), StandardCharsets.UTF_8);
        metadata.put("source-key", encodedKey.length() > MAX_KEY_METADATA ? encodedKey.substring(0, MAX_KEY_METADATA) : encodedKey);
        metadata.put(SOURCE_KEY_SHA256, OutputNames.sha256Hex(source.key()));
        metadata.put(SOURCE_ETAG, source.eTag());
        metadata.put(SOURCE_OPTIONS_SHA256, source.optionsFingerprint());
        source.versionId().ifPresent(v -> metadata.put("source-version-id", v));
        metadata.put("deepgram-tag", tag);
        return metadata;
    }

    /** What went wrong, for the {@code .error.json}. */
    record ErrorRecord(String reason, String message, Optional<Integer> httpStatus, Optional<String> deepgramErrorCode,
                       Optional<String> deepgramMessage, Optional<String> deepgramRequestId, int attempts) {
        static ErrorRecord ofInput(String reason, String message) {
            return new ErrorRecord(reason, message, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0);
        }
    }
}
