package dev.deepgramlambda.transcribe;

import dev.deepgramlambda.logging.JsonLog;
import dev.deepgramlambda.metrics.MetricNames.Status;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one log line per record (fields listed in the README): where the upload is, how it ended,
 * and Deepgram's part when it was called. Never the key's secret, a presigned URL or transcript text.
 */
final class OutcomeLogLine {
    private OutcomeLogLine() {}

    /** Failures at error level, the rest at info. */
    static void write(JsonLog log, UploadEvent upload, Outcome outcome, long totalMillis, TranscribeConfig.AudioSource audioSource) {
        Map<String, Object> fields = fields(upload, outcome, totalMillis, audioSource);
        if (outcome.status() == Status.FAILURE) {
            log.error(outcome.summary(), fields);
        } else {
            log.info(outcome.summary(), fields);
        }
    }

    private static Map<String, Object> fields(UploadEvent upload, Outcome outcome, long totalMillis,
                                      TranscribeConfig.AudioSource audioSource) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("bucket", upload.bucket());
        fields.put("key", upload.key());
        fields.put("outcome", outcome.status().value());
        fields.put("reason", outcome.reason());
        fields.put("detail", outcome.message());
        fields.put("durationMs", totalMillis);
        fields.put("audioSource", audioSource.name().toLowerCase(Locale.ROOT));
        outcome.deepgram().ifPresent(call -> {
            fields.put("deepgramMs", call.millis());
            fields.put("attempts", call.stats().attempts());
            fields.put("rateLimitHits", call.stats().rateLimitHits());
            fields.put("keySlot", call.stats().keySlot().name().toLowerCase(Locale.ROOT));
            call.requestId().ifPresent(id -> fields.put("deepgramRequestId", id));
        });
        outcome.output().ifPresent(location -> fields.put("output", location));
        return fields;
    }
}
