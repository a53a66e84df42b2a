package dev.deepgramlambda.transcribe;

import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3ObjectEntity;
import java.util.Optional;

/**
 * One S3 notification record, decoded once: everything past the handler works with this, not with
 * the Lambda event types.
 *
 * @param key the object key, URL-decoded (S3 sends it form-encoded: a space arrives as '+')
 * @param versionId empty for unversioned buckets
 * @param eTag the object's ETag when the event was sent; the object may have changed since
 * @param eventName e.g. {@code ObjectCreated:Put}
 * @param sequencer orders the events of one key; empty when S3 sent none
 */
record UploadEvent(String bucket, String key, Optional<String> versionId, Optional<String> eTag, String eventName,
                   Optional<String> sequencer) {

    static UploadEvent of(S3EventNotificationRecord record) {
        S3ObjectEntity object = record.getS3().getObject();
        return new UploadEvent(record.getS3().getBucket().getName(), object.getUrlDecodedKey(), present(object.getVersionId()),
                present(object.geteTag()), String.valueOf(record.getEventName()), present(object.getSequencer()));
    }

    /**
     * The object as it is now, for work that starts from our own records rather than from an S3
     * event: {@code origin} names where (the admission queue, the callback sweep).
     */
    static UploadEvent current(String bucket, String key, String origin) {
        return new UploadEvent(bucket, key, Optional.empty(), Optional.empty(), origin, Optional.empty());
    }

    boolean isObjectCreated() {
        return eventName.startsWith("ObjectCreated");
    }

    /** The event deserializer may turn a field S3 left out into "". */
    private static Optional<String> present(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }
}
