package dev.deepgramlambda.transcribe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepgramlambda.outputs.OutputNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A small {@code {key}.claim} object beside the outputs saying which invocation is transcribing
 * which upload, until when. It is created with {@code If-None-Match: *}, so of two concurrent
 * deliveries of one upload only one calls Deepgram (and is billed); S3 makes that decision
 * atomically. The other skips: the holder ends the upload as a transcript or an error record, or
 * fails and is retried by Lambda with the same request id, which takes its own claim back.
 *
 * <p>A claim is taken over ({@code If-Match} on the claim object) when it is for another version
 * of the source (a newer upload must not wait for an older one), when its holder's deadline has
 * passed, or when the holder is this invocation's earlier attempt.
 */
final class UploadClaims {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final S3Client s3;
    private final TranscriptWriter writer;
    private final OutputNames names;
    private final Clock clock;

    UploadClaims(S3Client s3, TranscriptWriter writer, OutputNames names, Clock clock) {
        this.s3 = s3;
        this.writer = writer;
        this.names = names;
        this.clock = clock;
    }

    /** Who holds an upload: the Lambda request id (the same across Lambda's retries of one event), and until when. */
    record Holder(String invocationId, Instant until) {}

    /** @return empty when this invocation now holds the upload, else the holder that does */
    Optional<Holder> claim(SourceObject source, Holder me) {
        String bucket = writer.bucketFor(source.bucket());
        String key = names.claim(source.key());
        if (put(bucket, key, source, me, null)) {
            return Optional.empty();
        }
        Optional<ResponseBytes<GetObjectResponse>> found =
                MissingObjects.ifExists(() -> s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)));
        if (found.isEmpty()) {
            // Its holder released it between our write and this read: one more try to take it.
            return put(bucket, key, source, me, null) ? Optional.empty() : Optional.of(unknownHolder());
        }
        ResponseBytes<GetObjectResponse> current = found.get();
        Claim claim = Claim.parse(current.asUtf8String());
        boolean sameUpload = source.identity().equals(claim.upload());
        boolean live = clock.instant().isBefore(claim.holder().until());
        if (sameUpload && live && !claim.holder().invocationId().equals(me.invocationId())) {
            return Optional.of(claim.holder());
        }
        return put(bucket, key, source, me, current.response().eTag()) ? Optional.empty() : Optional.of(claim.holder());
    }

    /** Ends the claim once the upload has its transcript or error record, or failed for Lambda to retry. */
    void release(SourceObject source) {
        s3.deleteObject(r -> r.bucket(writer.bucketFor(source.bucket())).key(names.claim(source.key())));
    }

    /** @param ifMatch the claim object's ETag to replace, or null to create it only when absent */
    private boolean put(String bucket, String key, SourceObject source, Holder me, String ifMatch) {
        String body = JSON.createObjectNode().put("upload", source.identity())
                .put("invocationId", me.invocationId())
                .put("until", me.until().toString()).toString();
        try {
            s3.putObject(r -> r.bucket(bucket).key(key).contentType("application/json")
                    .ifNoneMatch(ifMatch == null ? "*" : null).ifMatch(ifMatch), RequestBody.fromString(body, StandardCharsets.UTF_8));
            return true;
        } catch (S3Exception e) {
            if (ConditionalWrites.lost(e)) {
                return false;
            }
            throw e;
        }
    }

    /** A claim object's content; one we cannot read counts as expired, so it is replaced. */
    /** @param upload the source's ETag and options fingerprint: what identifies one upload */
    private record Claim(String upload, Holder holder) {
        static Claim parse(String body) {
            try {
                JsonNode json = JSON.readTree(body);
                return new Claim(json.path("upload").asText(""),
                        new Holder(json.path("invocationId").asText(""), Instant.parse(json.path("until").asText())));
            } catch (IOException | DateTimeParseException unreadable) {
                return new Claim("", new Holder("", Instant.EPOCH));
            }
        }
    }

    private Holder unknownHolder() {
        return new Holder("unknown", clock.instant());
    }
}
