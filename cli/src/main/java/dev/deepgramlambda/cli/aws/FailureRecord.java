package dev.deepgramlambda.cli.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One message of TranscribeFunction's failure queue, as Lambda's on-failure destination writes it: an
 * invocation record (docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html)
 * with {@code timestamp}, {@code requestContext.condition} (RetriesExhausted, EventAgeExceeded, ...),
 * the original event in {@code requestPayload} and the last error in {@code responsePayload}. Either
 * a failed upload that can be replayed, or a message that cannot be understood.
 */
public sealed interface FailureRecord {
    ObjectMapper JSON = new ObjectMapper();

    /** An object the S3 event named: the bucket, and the key URL-decoded as S3 encodes it in events. */
    record SourceObject(String bucket, String key) {
        @Override
        public String toString() {
            return "s3://" + bucket + "/" + key;
        }
    }

    /**
     * @param reason the condition and the error, e.g. {@code RetriesExhausted: DeepgramException: 503 ...}
     * @param failedAt when Lambda gave up (the record's timestamp), if the record says
     * @param requestPayload the original S3 event, to replay as it is
     */
    record FailedUpload(String reason, Optional<Instant> failedAt, List<SourceObject> objects, JsonNode requestPayload)
            implements FailureRecord {
        public FailedUpload {
            objects = List.copyOf(objects);
        }
    }

    /** Not a record of a failed S3-triggered invocation; {@code why} says what is missing. */
    record Unreadable(String why) implements FailureRecord {}

    static FailureRecord parse(String body) {
        JsonNode record;
        try {
            record = JSON.readTree(body);
        } catch (IOException e) {
            return new Unreadable("not JSON");
        }
        if (record == null || !record.isObject()) {
            return new Unreadable("not a JSON object");
        }
        JsonNode payload = record.path("requestPayload");
        if (!payload.isObject()) {
            return new Unreadable("no requestPayload: not a Lambda invocation record (a dead-letter queue message holds only the event)");
        }
        List<SourceObject> objects = new ArrayList<>();
        for (JsonNode s3Record : payload.path("Records")) {
            String bucket = s3Record.path("s3").path("bucket").path("name").asText("");
            String key = s3Record.path("s3").path("object").path("key").asText("");
            if (!"aws:s3".equals(s3Record.path("eventSource").asText()) || bucket.isEmpty() || key.isEmpty()) {
                return new Unreadable("requestPayload holds a record that is not an S3 object event");
            }
            objects.add(new SourceObject(bucket, URLDecoder.decode(key, StandardCharsets.UTF_8)));
        }
        if (objects.isEmpty()) {
            return new Unreadable("requestPayload is not an S3 event (no Records): not TranscribeFunction's");
        }
        String condition = record.path("requestContext").path("condition").asText("Failed");
        JsonNode error = record.path("responsePayload");
        String errorType = error.path("errorType").asText("Error");
        String reason = condition + (error.has("errorMessage")
                ? ": " + errorType.substring(errorType.lastIndexOf('.') + 1) + ": " + error.path("errorMessage").asText() : "");
        return new FailedUpload(reason, instant(record.path("timestamp").asText("")), objects, payload);
    }

    private static Optional<Instant> instant(String timestamp) {
        try {
            return Optional.of(Instant.parse(timestamp));
        } catch (DateTimeParseException notATimestamp) {
            return Optional.empty();
        }
    }
}
