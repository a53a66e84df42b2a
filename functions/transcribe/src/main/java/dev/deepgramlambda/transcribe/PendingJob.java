package dev.deepgramlambda.transcribe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepgramlambda.transcribe.captions.CaptionFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One upload whose transcript Deepgram will deliver by callback: written before the submission,
 * confirmed with Deepgram's request id after it, removed when the result is in or given up on.
 *
 * @param eTag the source version submitted; a result for another version is never written
 * @param requestId empty between writing the record and Deepgram's answer to the submission
 * @param resultKey the one object Deepgram may write, through the presigned PUT URL; unique per
 *     submission, so a late result of an earlier attempt cannot pass for this one
 * @param attempt 1 for the first submission, counting the sweep's resubmissions
 * @param captions the caption files chosen at submission, written beside the transcript
 * @param slot the admission slot the job holds until its result is in or given up on
 */
record PendingJob(String bucket, String key, String eTag, Optional<String> versionId, Optional<String> requestId,
                  Instant submittedAt, int attempt, String resultKey, String model, String tag,
                  Set<CaptionFormat> captions, AdmissionSlots.Slot slot) {
    private static final ObjectMapper JSON = new ObjectMapper();

    PendingJob confirmed(String deepgramRequestId) {
        return new PendingJob(bucket, key, eTag, versionId, Optional.of(deepgramRequestId), submittedAt, attempt,
                resultKey, model, tag, captions, slot);
    }

    /** A duplicate event for the same upload must not submit it twice while the job may still answer. */
    boolean awaits(SourceObject source, Instant now, Duration timeout) {
        return eTag.equals(source.eTag()) && !overdue(now, timeout);
    }

    /**
     * Past the URL's validity plus Deepgram's retry window (10 tries, 30 s apart): no result can
     * arrive any more, so the sweep may resubmit without paying twice for one answer.
     */
    boolean overdue(Instant now, Duration timeout) {
        return now.isAfter(submittedAt.plus(timeout).plus(PendingJobs.DEEPGRAM_RETRY_WINDOW));
    }

    String toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("bucket", bucket);
        node.put("key", key);
        node.put("eTag", eTag);
        versionId.ifPresent(v -> node.put("versionId", v));
        requestId.ifPresent(id -> node.put("deepgramRequestId", id));
        node.put("submittedAt", submittedAt.toString());
        node.put("attempt", attempt);
        node.put("resultKey", resultKey);
        node.put("model", model);
        node.put("tag", tag);
        node.put("captions", captions.isEmpty() ? CaptionFormat.NONE
                : captions.stream().map(CaptionFormat::extension).sorted().collect(Collectors.joining(",")));
        node.putObject("slot").put("number", slot.number()).put("holder", slot.holder())
                .put("leaseUntil", slot.leaseUntil().toString());
        return node.toPrettyString();
    }

    static PendingJob fromJson(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            return new PendingJob(node.path("bucket").asText(), node.path("key").asText(), node.path("eTag").asText(),
                    text(node, "versionId"), text(node, "deepgramRequestId"),
                    Instant.parse(node.path("submittedAt").asText()), node.path("attempt").asInt(),
                    node.path("resultKey").asText(), node.path("model").asText(), node.path("tag").asText(),
                    CaptionFormat.parseList(node.path("captions").asText(CaptionFormat.NONE)),
                    new AdmissionSlots.Slot(node.path("slot").path("number").asInt(), node.path("slot").path("holder").asText(),
                            Instant.parse(node.path("slot").path("leaseUntil").asText())));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a pending job record: " + e.getMessage(), e);
        }
    }

    private static Optional<String> text(JsonNode node, String field) {
        return node.hasNonNull(field) ? Optional.of(node.get(field).asText()) : Optional.empty();
    }
}
