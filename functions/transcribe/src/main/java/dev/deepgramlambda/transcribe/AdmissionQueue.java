package dev.deepgramlambda.transcribe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Uploads waiting for a Deepgram slot, oldest first: S3 objects
 * {@code {prefix}queue/{queued at, epoch ms}-{job}.json}, so a listing, which S3 returns in key
 * order, is the queue in order. Waiting here costs no Lambda retry and has no age limit, unlike
 * Lambda's own event queue (two retries, six hours).
 */
final class AdmissionQueue {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One waiting upload. */
    record Entry(String objectKey, String bucket, String key, String eTag, Instant queuedAt, String reason) {}

    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    AdmissionQueue(S3Client s3, String bucket, String callbackPrefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = callbackPrefix + "queue/";
    }

    Entry enqueue(SourceObject source, Instant now, String reason) {
        String objectKey = prefix + String.format("%013d", now.toEpochMilli()) + "-" + PendingJobs.jobId(source.bucket(), source.key()) + ".json";
        String body = JSON.createObjectNode().put("bucket", source.bucket()).put("key", source.key())
                .put("eTag", source.eTag()).put("queuedAt", now.toString()).put("reason", reason).toString();
        s3.putObject(r -> r.bucket(bucket).key(objectKey).contentType("application/json"),
                RequestBody.fromString(body, StandardCharsets.UTF_8));
        return new Entry(objectKey, source.bucket(), source.key(), source.eTag(), now, reason);
    }

    /** Up to {@code max} waiting uploads, oldest first. */
    List<Entry> oldest(int max) {
        List<Entry> entries = new ArrayList<>();
        for (S3Object object : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents()) {
            if (entries.size() >= max) {
                break;
            }
            read(object.key()).ifPresent(entries::add);
        }
        return entries;
    }

    boolean isEmpty() {
        return s3.listObjectsV2(r -> r.bucket(bucket).prefix(prefix).maxKeys(1)).keyCount() == 0;
    }

    int size() {
        int size = 0;
        for (S3Object ignored : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents()) {
            size++;
        }
        return size;
    }

    void remove(Entry entry) {
        s3.deleteObject(r -> r.bucket(bucket).key(entry.objectKey()));
    }

    /** The entry, or empty when it was admitted meanwhile. */
    private Optional<Entry> read(String objectKey) {
        return MissingObjects.ifExists(() -> s3.getObjectAsBytes(r -> r.bucket(bucket).key(objectKey)).asUtf8String())
                .map(body -> parse(objectKey, body));
    }

    private static Entry parse(String objectKey, String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return new Entry(objectKey, node.path("bucket").asText(), node.path("key").asText(),
                    node.path("eTag").asText(), Instant.parse(node.path("queuedAt").asText()), node.path("reason").asText());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("unreadable queue entry " + objectKey + ": " + e.getMessage(), e);
        }
    }
}
