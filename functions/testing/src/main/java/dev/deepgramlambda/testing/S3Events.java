package dev.deepgramlambda.testing;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * S3 notifications as S3 sends them, built from the repository's sample {@code events/s3-put.json}
 * and deserialized the way the Lambda runtime does.
 */
public final class S3Events {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One object as the event names it; {@code key} is the plain key, encoded here as S3 encodes it. */
    public record Upload(String bucket, String key, long size, String etag) {}

    private S3Events() {}

    public static S3Event objectCreated(Upload... uploads) {
        return Fixtures.event(S3Event.class, objectCreatedJson(uploads));
    }

    /** The raw notification JSON, the sample's record once per upload, keys encoded exactly as S3 writes them. */
    public static String objectCreatedJson(Upload... uploads) {
        try {
            JsonNode sample = JSON.readTree(Fixtures.text("events/s3-put.json")).path("Records").get(0);
            ObjectNode root = JSON.createObjectNode();
            ArrayNode records = root.putArray("Records");
            for (Upload upload : uploads) {
                ObjectNode record = sample.deepCopy();
                ObjectNode s3 = (ObjectNode) record.path("s3");
                ((ObjectNode) s3.path("bucket")).put("name", upload.bucket()).put("arn", "arn:aws:s3:::" + upload.bucket());
                ((ObjectNode) s3.path("object")).put("key", s3EncodedKey(upload.key())).put("size", upload.size())
                        .put("eTag", upload.etag());
                records.add(record);
            }
            return root.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** S3's form-style key encoding: space becomes '+', '+' becomes %2B, non-ASCII as UTF-8 %XX. */
    public static String s3EncodedKey(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    /** The {@code s3:TestEvent} S3 sends when a notification is configured: no Records. */
    public static S3Event testEvent() {
        return Fixtures.event(S3Event.class, Fixtures.text("events/s3-test-event.json"));
    }
}
