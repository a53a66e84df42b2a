package dev.deepgramlambda.transcribe;

import dev.deepgramlambda.deepgram.AudioBody;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Reads uploaded audio from S3: what it is now, a presigned URL to it, or a stream of it. */
final class AudioStore {
    private final S3Client s3;
    private final S3Presigner presigner;
    private final Duration presignedUrlTtl;

    AudioStore(S3Client s3, S3Presigner presigner, Duration presignedUrlTtl) {
        this.s3 = s3;
        this.presigner = presigner;
        this.presignedUrlTtl = presignedUrlTtl;
    }

    /** The object as it is now, or empty when it was deleted before we got to it. */
    Optional<SourceObject> describe(UploadEvent upload) {
        return MissingObjects.ifExists(() -> s3.headObject(r -> r.bucket(upload.bucket()).key(upload.key())
                        .versionId(upload.versionId().orElse(null))))
                .map(head -> new SourceObject(upload.bucket(), upload.key(), unquote(head.eTag()),
                        Optional.ofNullable(head.versionId()).or(upload::versionId), head.contentLength(),
                        head.contentType(), head.metadata(), archived(head)));
    }

    /** Deepgram downloads the object itself; the URL expires after {@code PRESIGNED_URL_TTL_SECONDS}. */
    AudioBody presignedUrl(SourceObject source) {
        String url = presigner.presignGetObject(p -> p.signatureDuration(presignedUrlTtl).getObjectRequest(
                g -> g.bucket(source.bucket()).key(source.key()).versionId(source.versionId().orElse(null))))
                .url().toString();
        return new AudioBody.RemoteUrl(url);
    }

    /**
     * The object streamed into the request body. {@code If-Match} pins the bytes to the ETag we
     * checked, so an overwrite during a retry cannot mix two uploads.
     */
    AudioBody stream(SourceObject source) {
        String contentType = source.contentType() != null
                && (source.contentType().startsWith("audio/") || source.contentType().startsWith("video/"))
                ? source.contentType() : "application/octet-stream";
        return new AudioBody.Streamed(contentType, source.size(), () -> s3.getObject(r -> r.bucket(source.bucket())
                .key(source.key()).versionId(source.versionId().orElse(null)).ifMatch(source.eTag())));
    }

    /**
     * Glacier Flexible Retrieval and Deep Archive objects (and Intelligent-Tiering's archive tiers)
     * are not served until restored: every GET is refused with 403 InvalidObjectState, however
     * often Lambda retries. Glacier Instant Retrieval serves normally.
     */
    private static Optional<String> archived(HeadObjectResponse head) {
        boolean restored = head.restore() != null && head.restore().contains("ongoing-request=\"false\"");
        String storageClass = String.valueOf(head.storageClassAsString());
        if ((storageClass.equals("GLACIER") || storageClass.equals("DEEP_ARCHIVE")) && !restored) {
            return Optional.of("the object is in the " + storageClass + " storage class and not restored");
        }
        if (head.archiveStatus() != null && !restored) {
            return Optional.of("the object is in Intelligent-Tiering's " + head.archiveStatusAsString() + " tier and not restored");
        }
        return Optional.empty();
    }

    /**
     * S3 refusals that no retry can fix, as an error-record reason: any 400 (S3 answers one for an
     * SSE-C object read without the customer's key, which we never have; a HEAD answer has no body
     * to say more), a KMS key the function may not use, an archived object. A plain 403 is left
     * transient: it is our IAM policy, and fixing it lets Lambda's retry or a replay succeed.
     */
    static Optional<String> permanentProblem(S3Exception e) {
        String code = e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorCode());
        String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (e.statusCode() == 400) {
            return Optional.of("source-unreadable");
        }
        if (e.statusCode() == 403 && code.equals("InvalidObjectState")) {
            return Optional.of("source-archived");
        }
        if (e.statusCode() == 403 && (code.startsWith("KMS") || message.contains("kms"))) {
            return Optional.of("source-kms-access-denied");
        }
        return Optional.empty();
    }

    static String unquote(String eTag) {
        return eTag == null ? "" : eTag.replace("\"", "");
    }
}
