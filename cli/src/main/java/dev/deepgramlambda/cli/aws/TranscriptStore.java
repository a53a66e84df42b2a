package dev.deepgramlambda.cli.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The bucket as TranscribeFunction leaves it: for a source key {@code k} it writes
 * {@code {outputPrefix}k.json} (Deepgram's response), {@code .txt} (readable transcript), captions
 * ({@code .srt}, {@code .vtt}) or, for a permanent failure, {@code .error.json}. This class is
 * where the CLI knows that naming.
 */
public final class TranscriptStore {
    /** What the function wrote for a source key. */
    public enum Kind {
        TRANSCRIPT(".json"), TEXT(".txt"), SRT(".srt"), VTT(".vtt"), ERROR_RECORD(".error.json");

        private final String suffix;

        Kind(String suffix) {
            this.suffix = suffix;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final S3Client s3;
    private final String bucket;
    private final String outputPrefix;

    public TranscriptStore(S3Client s3, String bucket, String outputPrefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.outputPrefix = outputPrefix;
    }

    public String key(String sourceKey, Kind kind) {
        return outputPrefix + sourceKey + kind.suffix;
    }

    public String uri(String sourceKey, Kind kind) {
        return "s3://" + bucket + "/" + key(sourceKey, kind);
    }

    public String uriOfSource(String sourceKey) {
        return "s3://" + bucket + "/" + sourceKey;
    }

    /**
     * The outcome already written for each source key starting with {@code sourceKeyPrefix}: a
     * transcript or an error record ({@code .txt} and caption files are not outcomes of their own).
     */
    public Map<String, Kind> outcomes(String sourceKeyPrefix) {
        Map<String, Kind> outcomes = new LinkedHashMap<>();
        for (S3Object object : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(outputPrefix + sourceKeyPrefix)).contents()) {
            String relative = object.key().substring(outputPrefix.length());
            if (relative.endsWith(Kind.ERROR_RECORD.suffix)) {
                outcomes.putIfAbsent(strip(relative, Kind.ERROR_RECORD), Kind.ERROR_RECORD);
            } else if (relative.endsWith(Kind.TRANSCRIPT.suffix)) {
                outcomes.put(strip(relative, Kind.TRANSCRIPT), Kind.TRANSCRIPT);
            }
        }
        return outcomes;
    }

    public Optional<Kind> outcome(String sourceKey) {
        return Optional.ofNullable(outcomes(sourceKey).get(sourceKey));
    }

    public Optional<String> read(String sourceKey, Kind kind) {
        try {
            return Optional.of(s3.getObjectAsBytes(r -> r.bucket(bucket).key(key(sourceKey, kind))).asUtf8String());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    /** The error record's gist, "reason: message (HTTP status)", for reports. */
    public String errorSummary(String sourceKey) {
        String record = read(sourceKey, Kind.ERROR_RECORD).orElse("");
        try {
            JsonNode error = JSON.readTree(record);
            return error.path("reason").asText("?") + ": " + error.path("message").asText("")
                    + (error.has("httpStatus") ? " (HTTP " + error.path("httpStatus").asInt() + ")" : "");
        } catch (IOException notJson) {
            return record;
        }
    }

    public PutObjectResponse upload(String sourceKey, RequestBody body, String contentType, Map<String, String> metadata) {
        return s3.putObject(r -> r.bucket(bucket).key(sourceKey).contentType(contentType).metadata(metadata), body);
    }

    /** Removes an upload and whatever the function wrote for it. */
    public void delete(String sourceKey) {
        s3.deleteObject(r -> r.bucket(bucket).key(sourceKey));
        for (Kind kind : Kind.values()) {
            s3.deleteObject(r -> r.bucket(bucket).key(key(sourceKey, kind)));
        }
    }

    private static String strip(String relative, Kind kind) {
        return relative.substring(0, relative.length() - kind.suffix.length());
    }
}
