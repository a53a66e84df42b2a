package dev.deepgramlambda.cli.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepgramlambda.testing.S3Events;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code ObjectCreated:Put} notification S3 sends to Lambda for one upload, in S3's event message
 * structure (version 2.1): the key URL-encoded as S3 encodes it, the ETag without quotes, the
 * version id when the bucket is versioned, a sequencer that grows with every event.
 */
public final class S3Notification {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter EVENT_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** Sequencers only order events for the same key; a counter seeded by the clock keeps them growing. */
    private static final AtomicLong SEQUENCER = new AtomicLong(System.currentTimeMillis() << 16);

    /**
     * An object as PutObject reported it.
     *
     * @param eTag as S3 returns it, quotes included or not
     * @param versionId null for an unversioned bucket
     * @param requestId S3's {@code x-amz-request-id} of the PUT
     * @param hostId S3's {@code x-amz-id-2} of the PUT
     */
    public record Upload(String region, String bucket, String key, long size, String eTag, String versionId,
                         String requestId, String hostId) {}

    private S3Notification() {}

    /** The event JSON Lambda hands the function for {@code upload}, uploaded at {@code time}. */
    public static byte[] objectCreated(Upload upload, Instant time) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode record = root.putArray("Records").addObject();
        record.put("eventVersion", "2.1");
        record.put("eventSource", "aws:s3");
        record.put("awsRegion", upload.region());
        record.put("eventTime", EVENT_TIME.format(time));
        record.put("eventName", "ObjectCreated:Put");
        record.putObject("userIdentity").put("principalId", "AWS:AIDALOCALUPLOADER");
        record.putObject("requestParameters").put("sourceIPAddress", "127.0.0.1");
        ObjectNode response = record.putObject("responseElements");
        response.put("x-amz-request-id", orPlaceholder(upload.requestId()));
        response.put("x-amz-id-2", orPlaceholder(upload.hostId()));
        ObjectNode s3 = record.putObject("s3");
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", "TranscribeOnUpload");
        ObjectNode bucket = s3.putObject("bucket");
        bucket.put("name", upload.bucket());
        bucket.putObject("ownerIdentity").put("principalId", "A1LOCALOWNER");
        bucket.put("arn", "arn:aws:s3:::" + upload.bucket());
        ObjectNode object = s3.putObject("object");
        object.put("key", S3Events.s3EncodedKey(upload.key()));
        object.put("size", upload.size());
        object.put("eTag", upload.eTag().replace("\"", ""));
        if (upload.versionId() != null) {
            object.put("versionId", upload.versionId());
        }
        object.put("sequencer", String.format("%018X", SEQUENCER.incrementAndGet()));
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String orPlaceholder(String value) {
        return value == null ? "0000000000000000" : value;
    }
}
