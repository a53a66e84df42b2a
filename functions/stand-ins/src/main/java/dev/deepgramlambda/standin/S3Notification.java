package dev.deepgramlambda.standin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code ObjectCreated:Put} notification S3 sends to Lambda, in S3's event message structure
 * (version 2.1, the shape of the repository's {@code events/s3-put.json}): each key URL-encoded as S3
 * encodes it, the ETag without quotes, the version id when the bucket is versioned, a sequencer
 * that grows with every event. The one place the project writes S3 notifications: the CLI hands them
 * to the function it runs, the tests to the handlers they call.
 *
 * <pre>{@code
 * String json = S3Notification.objectCreated()
 *         .region("eu-west-1")
 *         .add(S3Notification.Upload.of("audio-bucket", "incoming/talk.wav", 1234, eTag))
 *         .build()
 *         .toJson();
 * }</pre>
 */
public final class S3Notification {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter EVENT_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** Sequencers only order events for the same key; a counter seeded by the clock keeps them growing. */
    private static final AtomicLong SEQUENCER = new AtomicLong(System.currentTimeMillis() << 16);
    /** The template's event name for the trigger, which S3 reports as the configuration id. */
    private static final String CONFIGURATION_ID = "AudioUploaded";

    /**
     * One created object as S3 reported it to the uploader.
     *
     * @param key the plain key; the notification carries it URL-encoded
     * @param eTag as S3 returns it, quotes included or not
     * @param versionId empty for an unversioned bucket
     * @param requestId S3's {@code x-amz-request-id} of the PUT, when known
     * @param hostId S3's {@code x-amz-id-2} of the PUT, when known
     */
    public record Upload(String bucket, String key, long size, String eTag, Optional<String> versionId,
                         Optional<String> requestId, Optional<String> hostId) {
        public Upload {
            requireText(bucket, "bucket");
            requireText(key, "key");
            requireText(eTag, "eTag");
            if (size < 0) {
                throw new IllegalArgumentException("size must be 0 or more, got " + size);
            }
            Objects.requireNonNull(versionId, "versionId");
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(hostId, "hostId");
        }

        /** An object of an unversioned bucket whose PUT's request ids are unknown. */
        public static Upload of(String bucket, String key, long size, String eTag) {
            return new Upload(bucket, key, size, eTag, Optional.empty(), Optional.empty(), Optional.empty());
        }

        /** The same object in a versioned bucket ({@code null}: unversioned). */
        public Upload withVersionId(String versionId) {
            return new Upload(bucket, key, size, eTag, Optional.ofNullable(versionId), requestId, hostId);
        }

        /** The same object with the request ids S3 answered its PUT with. */
        public Upload withRequest(String requestId, String hostId) {
            return new Upload(bucket, key, size, eTag, versionId, Optional.ofNullable(requestId), Optional.ofNullable(hostId));
        }

        private static void requireText(String value, String name) {
            if (value == null || value.isEmpty()) {
                throw new IllegalArgumentException(name + " must not be empty");
            }
        }
    }

    private final String region;
    private final Instant time;
    private final List<Upload> uploads;

    private S3Notification(Builder builder) {
        this.region = builder.region;
        this.time = builder.time;
        this.uploads = List.copyOf(builder.uploads);
    }

    /** A notification in {@link MotoServer#REGION}, timed now, until told otherwise. */
    public static Builder objectCreated() {
        return new Builder();
    }

    /** The event JSON Lambda hands the function: one record per upload, in the order added. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode records = root.putArray("Records");
        uploads.forEach(upload -> record(records.addObject(), upload));
        return root.toString();
    }

    public byte[] toBytes() {
        return toJson().getBytes(StandardCharsets.UTF_8);
    }

    private void record(ObjectNode record, Upload upload) {
        record.put("eventVersion", "2.1");
        record.put("eventSource", "aws:s3");
        record.put("awsRegion", region);
        record.put("eventTime", EVENT_TIME.format(time));
        record.put("eventName", "ObjectCreated:Put");
        record.putObject("userIdentity").put("principalId", "AWS:AIDALOCALUPLOADER");
        record.putObject("requestParameters").put("sourceIPAddress", "127.0.0.1");
        ObjectNode response = record.putObject("responseElements");
        response.put("x-amz-request-id", upload.requestId().orElse("0000000000000000"));
        response.put("x-amz-id-2", upload.hostId().orElse("0000000000000000"));
        ObjectNode s3 = record.putObject("s3");
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", CONFIGURATION_ID);
        ObjectNode bucket = s3.putObject("bucket");
        bucket.put("name", upload.bucket());
        bucket.putObject("ownerIdentity").put("principalId", "A1LOCALOWNER");
        bucket.put("arn", "arn:aws:s3:::" + upload.bucket());
        ObjectNode object = s3.putObject("object");
        object.put("key", encodedKey(upload.key()));
        object.put("size", upload.size());
        object.put("eTag", upload.eTag().replace("\"", ""));
        upload.versionId().ifPresent(version -> object.put("versionId", version));
        object.put("sequencer", String.format("%018X", SEQUENCER.incrementAndGet()));
    }

    /** S3's form-style key encoding: space becomes '+', '+' becomes %2B, non-ASCII as UTF-8 %XX, '/' kept. */
    static String encodedKey(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    public static final class Builder {
        private String region = MotoServer.REGION;
        private Instant time = Instant.now();
        private final List<Upload> uploads = new ArrayList<>();

        private Builder() {}

        public Builder region(String region) {
            if (region == null || region.isBlank()) {
                throw new IllegalArgumentException("region must not be blank");
            }
            this.region = region;
            return this;
        }

        /** When the objects were created (the records' {@code eventTime}). */
        public Builder time(Instant time) {
            this.time = Objects.requireNonNull(time, "time");
            return this;
        }

        /** One record per upload, in this order. */
        public Builder add(Upload... uploads) {
            for (Upload upload : uploads) {
                this.uploads.add(Objects.requireNonNull(upload, "upload"));
            }
            return this;
        }

        public S3Notification build() {
            if (uploads.isEmpty()) {
                throw new IllegalStateException("a notification names at least one object: add an upload");
            }
            return new S3Notification(this);
        }
    }
}
