package dev.deepgramlambda.cli.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepgramlambda.outputs.OutputNames;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The bucket as TranscribeFunction leaves it: for a source key {@code k} it writes
 * {@code {outputPrefix}k.json} (Deepgram's response), {@code .txt} (readable transcript), captions
 * ({@code .srt}, {@code .vtt}) or, for a permanent failure, {@code .error.json}, with {@code k}
 * escaped or shortened where it must be. The names come from {@link OutputNames}, the function's
 * own definition, so the CLI looks exactly where the function writes.
 */
public final class TranscriptStore {
    /** What the function wrote for a source key. */
    public enum Kind {
        TRANSCRIPT(OutputNames.TRANSCRIPT), TEXT(".txt"), SRT(".srt"), VTT(".vtt"), ERROR_RECORD(OutputNames.ERROR);

        private final String suffix;

        Kind(String suffix) {
            this.suffix = suffix;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final S3Client s3;
    private final String bucket;
    private final String outputPrefix;
    private final OutputNames names;

    public TranscriptStore(S3Client s3, String bucket, String outputPrefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.outputPrefix = outputPrefix;
        this.names = new OutputNames(outputPrefix);
    }

    public String key(String sourceKey, Kind kind) {
        return names.output(sourceKey, kind.suffix);
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
     * A key too long for its output names is found under its shortened stem: only
     * {@link #outcome} looks one up by its full key.
     */
    public Map<String, Kind> outcomes(String sourceKeyPrefix) {
        Map<String, Kind> outcomes = new LinkedHashMap<>();
        for (S3Object object : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(outputPrefix + sourceKeyPrefix)).contents()) {
            Optional<String> failed = names.sourceKey(object.key(), Kind.ERROR_RECORD.suffix);
            if (failed.isPresent()) {
                outcomes.putIfAbsent(failed.get(), Kind.ERROR_RECORD);
            } else {
                names.sourceKey(object.key(), Kind.TRANSCRIPT.suffix).ifPresent(key -> outcomes.put(key, Kind.TRANSCRIPT));
            }
        }
        return outcomes;
    }

    /** The outcome already written for {@code sourceKey}: its transcript, else its error record. */
    public Optional<Kind> outcome(String sourceKey) {
        Set<String> written = s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(outputPrefix + names.stem(sourceKey)))
                .contents().stream().map(S3Object::key).collect(Collectors.toSet());
        return written.contains(key(sourceKey, Kind.TRANSCRIPT)) ? Optional.of(Kind.TRANSCRIPT)
                : written.contains(key(sourceKey, Kind.ERROR_RECORD)) ? Optional.of(Kind.ERROR_RECORD) : Optional.empty();
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
}
