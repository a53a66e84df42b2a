package dev.deepgramlambda.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The notifications the CLI and the tests hand the function have the shape of the repository's
 * sample event {@code events/s3-put.json} (S3's event message structure, version 2.1).
 */
class S3NotificationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLE_EVENT = Path.of("../../events/s3-put.json");

    @Test
    void givenOneUpload_whenWritten_thenItHasExactlyTheFieldsOfTheSampleEvent() throws IOException {
        JsonNode sample = JSON.readTree(Files.readString(SAMPLE_EVENT));

        JsonNode built = JSON.readTree(S3Notification.objectCreated()
                .add(S3Notification.Upload.of("audio-bucket", "incoming/talk.wav", 1, "abc"))
                .build().toJson());

        assertEquals(paths(sample, ""), paths(built, ""));
    }

    @Test
    void givenTheSampleEventsObject_whenWritten_thenKeyEncodingAndTimeMatchS3s() throws IOException {
        JsonNode sample = JSON.readTree(Files.readString(SAMPLE_EVENT)).path("Records").get(0);
        JsonNode object = sample.path("s3").path("object");

        JsonNode built = JSON.readTree(S3Notification.objectCreated()
                .time(Instant.parse(sample.path("eventTime").asText()))
                .add(S3Notification.Upload.of(sample.path("s3").path("bucket").path("name").asText(), "incoming/My Meeting été.wav",
                        object.path("size").asLong(), "\"" + object.path("eTag").asText() + "\""))
                .build().toJson()).path("Records").get(0);

        assertEquals(object.path("key").asText(), built.path("s3").path("object").path("key").asText());
        assertEquals(object.path("eTag").asText(), built.path("s3").path("object").path("eTag").asText(), "quotes removed");
        assertEquals(sample.path("eventTime").asText(), built.path("eventTime").asText());
        assertEquals(sample.path("s3").path("bucket").path("arn"), built.path("s3").path("bucket").path("arn"));
    }

    @Test
    void givenSeveralUploads_whenWritten_thenOneRecordEachInOrderWithGrowingSequencers() throws IOException {
        JsonNode records = JSON.readTree(S3Notification.objectCreated().region("eu-west-1")
                .add(S3Notification.Upload.of("b", "a+b/c d.wav", 10, "e1"),
                        S3Notification.Upload.of("b", "second.wav", 20, "e2").withVersionId("v2").withRequest("REQ", "HOST"))
                .build().toJson()).path("Records");

        assertEquals(2, records.size());
        JsonNode first = records.get(0);
        JsonNode second = records.get(1);
        assertEquals("a%2Bb/c+d.wav", first.path("s3").path("object").path("key").asText(), "'+' escaped, space as '+', '/' kept");
        assertFalse(first.path("s3").path("object").has("versionId"), "unversioned bucket: no versionId");
        assertEquals("v2", second.path("s3").path("object").path("versionId").asText());
        assertEquals("REQ", second.path("responseElements").path("x-amz-request-id").asText());
        assertEquals("HOST", second.path("responseElements").path("x-amz-id-2").asText());
        assertEquals("eu-west-1", second.path("awsRegion").asText());
        assertTrue(first.path("s3").path("object").path("sequencer").asText()
                .compareTo(second.path("s3").path("object").path("sequencer").asText()) < 0);
    }

    @Test
    void givenIncompleteInput_whenBuilt_thenTheMistakeIsNamed() {
        assertEquals("bucket must not be empty",
                assertThrows(IllegalArgumentException.class, () -> S3Notification.Upload.of("", "k", 1, "e")).getMessage());
        assertEquals("size must be 0 or more, got -1",
                assertThrows(IllegalArgumentException.class, () -> S3Notification.Upload.of("b", "k", -1, "e")).getMessage());
        assertThrows(IllegalStateException.class, () -> S3Notification.objectCreated().build());
    }

    /** Every field path in {@code node}, array elements as {@code []}. */
    private static Set<String> paths(JsonNode node, String at) {
        Set<String> paths = new TreeSet<>();
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                paths.add(at + "/" + field.getKey());
                paths.addAll(paths(field.getValue(), at + "/" + field.getKey()));
            }
        } else if (node.isArray()) {
            node.forEach(element -> paths.addAll(paths(element, at + "[]")));
        }
        return paths;
    }
}
