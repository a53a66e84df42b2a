package dev.deepgramlambda.transcribe;

import dev.deepgramlambda.deepgram.AudioBody;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
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
        try {
            HeadObjectResponse head = s3.headObject(r -> r.bucket(upload.bucket()).key(upload.key())
                    .versionId(upload.versionId().orElse(null)));
            return Optional.of(new SourceObject(upload.bucket(), upload.key(), unquote(head.eTag()),
                    Optional.ofNullable(head.versionId()).or(upload::versionId), head.contentLength(),
                    head.contentType(), head.metadata()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
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

    static String unquote(String eTag) {
        return eTag == null ? "" : eTag.replace("\"", "");
    }
}
