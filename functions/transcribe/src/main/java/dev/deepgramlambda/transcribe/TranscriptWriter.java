package dev.deepgramlambda.transcribe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepgramlambda.deepgram.ListenResponse;
import dev.deepgramlambda.transcribe.captions.CaptionFormat;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Writes results under the output prefix: {@code {key}.json} (Deepgram's response, byte for byte),
 * the {@link Rendering renderings} beside it ({@code {key}.txt}, {@code .srt}, {@code .vtt}) and, for
 * permanent failures, {@code {key}.error.json}.
 * Each carries metadata tying it to the exact source version it was made from.
 */
final class TranscriptWriter {
    static final String SOURCE_ETAG = "source-etag";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** S3 allows 2 KB of user metadata in all; a very long encoded key is cut, the ETag still identifies the source. */
    private static final int MAX_KEY_METADATA = 1024;

    private final S3Client s3;
    private final String outputPrefix;
    private final Optional<String> outputBucket;
    private final Clock clock;

    TranscriptWriter(S3Client s3, Optional<String> outputBucket, String outputPrefix, Clock clock) {
        this.s3 = s3;
        this.outputBucket = outputBucket;
        this.outputPrefix = outputPrefix;
        this.clock = clock;
    }

    String bucketFor(String sourceBucket) {
        return outputBucket.orElse(sourceBucket);
    }

    String keyFor(String sourceKey, String suffix) {
        return outputPrefix + sourceKey + suffix;
    }

    /** Whether a transcript made from exactly this source version (same ETag) already exists. */
    boolean hasTranscript(SourceObject source) {
        try {
            HeadObjectResponse head = s3.headObject(r -> r.bucket(bucketFor(source.bucket())).key(keyFor(source.key(), ".json")));
            return source.eTag().equals(head.metadata().get(SOURCE_ETAG));
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Writes every rendering first and the {@code .json} last: the JSON is what the idempotency
     * check looks for, so it must only exist once everything else does. Caption files this upload
     * did not ask for are removed, so none is left from an earlier version of the audio.
     * Returns the JSON's location.
     */
    String writeTranscript(SourceObject source, ListenResponse response, String model, String tag, Set<CaptionFormat> captions) {
        Map<String, String> metadata = sourceMetadata(source, tag);
        response.requestId().ifPresent(id -> metadata.put("deepgram-request-id", id));
        metadata.put("model", response.models().isEmpty() ? model : String.join(",", response.models()));
        response.durationSeconds().ifPresent(seconds -> metadata.put("audio-duration-seconds", Double.toString(seconds)));
        String bucket = bucketFor(source.bucket());
        for (Rendering rendering : Rendering.of(captions)) {
            put(bucket, keyFor(source.key(), rendering.suffix()), rendering.render().apply(response), rendering.contentType(), metadata);
        }
        for (CaptionFormat format : CaptionFormat.values()) {
            if (!captions.contains(format)) {
                s3.deleteObject(r -> r.bucket(bucket).key(keyFor(source.key(), "." + format.extension())));
            }
        }
        String jsonKey = keyFor(source.key(), ".json");
        put(bucket, jsonKey, response.body(), "application/json", metadata);
        s3.deleteObject(r -> r.bucket(bucket).key(keyFor(source.key(), ".error.json")));
        return "s3://" + bucket + "/" + jsonKey;
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
        String key = keyFor(source.key(), ".error.json");
        put(bucket, key, record.toPrettyString(), "application/json", sourceMetadata(source, tag));
        return "s3://" + bucket + "/" + key;
    }

    private void put(String bucket, String key, String body, String contentType, Map<String, String> metadata) {
        s3.putObject(r -> r.bucket(bucket).key(key).contentType(contentType).metadata(metadata),
                RequestBody.fromString(body, StandardCharsets.UTF_8));
    }

    private static Map<String, String> sourceMetadata(SourceObject source, String tag) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("source-bucket", source.bucket());
        String encodedKey = URLEncoder.encode(source.key(), StandardCharsets.UTF_8);
        metadata.put("source-key", encodedKey.length() > MAX_KEY_METADATA ? encodedKey.substring(0, MAX_KEY_METADATA) : encodedKey);
        metadata.put(SOURCE_ETAG, source.eTag());
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
