package dev.deepgramlambda.transcribe;

import dev.deepgramlambda.deepgram.ApiKey;
import dev.deepgramlambda.logging.JsonLog;
import dev.deepgramlambda.metrics.MetricNames;
import dev.deepgramlambda.metrics.MetricsPublisher;
import dev.deepgramlambda.metrics.MetricsPublisher.Datum;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.cloudwatchlogs.emf.model.Unit;

/** How one record ended, told twice: as EMF metrics for alarms, and as one structured log line for people. */
final class OutcomeReport {
    private final MetricsPublisher metrics;
    private final String audioSource;

    OutcomeReport(MetricsPublisher metrics, TranscribeConfig config) {
        this.metrics = metrics;
        this.audioSource = config.audioSource().name().toLowerCase(Locale.ROOT);
    }

    void report(String bucket, String key, Outcome outcome, long totalMillis, JsonLog log) {
        metrics.publishOutcome(outcome.status(), Map.of("reason", outcome.reason()));
        List<Datum> data = new ArrayList<>();
        outcome.deepgram().ifPresent(stats -> {
            data.add(new Datum(MetricNames.RATE_LIMIT_HITS, stats.rateLimitHits(), Unit.COUNT));
            data.add(new Datum(MetricNames.DEEPGRAM_RETRIES, stats.retries(), Unit.COUNT));
            data.add(new Datum(MetricNames.FALLBACK_KEY_USED, stats.keySlot() == ApiKey.Slot.FALLBACK ? 1 : 0, Unit.COUNT));
        });
        if (outcome.status() == MetricNames.Status.SUCCESS) {
            data.add(new Datum(MetricNames.TRANSCRIPTION_LATENCY, outcome.deepgramMillis(), Unit.MILLISECONDS));
            outcome.audioSeconds().ifPresent(s -> data.add(new Datum(MetricNames.AUDIO_SECONDS_PROCESSED, s, Unit.SECONDS)));
        }
        if (!data.isEmpty()) {
            metrics.publish(data, Map.of());
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("bucket", bucket);
        fields.put("key", key);
        fields.put("outcome", outcome.status().value());
        fields.put("reason", outcome.reason());
        fields.put("detail", outcome.message());
        fields.put("durationMs", totalMillis);
        fields.put("audioSource", audioSource);
        outcome.deepgram().ifPresent(stats -> {
            fields.put("deepgramMs", outcome.deepgramMillis());
            fields.put("attempts", stats.attempts());
            fields.put("rateLimitHits", stats.rateLimitHits());
            fields.put("keySlot", stats.keySlot().name().toLowerCase(Locale.ROOT));
        });
        outcome.deepgramRequestId().ifPresent(id -> fields.put("deepgramRequestId", id));
        outcome.output().ifPresent(location -> fields.put("output", location));
        switch (outcome.status()) {
            case SUCCESS, SKIPPED, SUBMITTED, QUEUED -> log.info("Record " + outcome.status().value(), fields);
            case FAILURE -> log.error(outcome.retryable() ? "Record failed; Lambda will retry the event"
                    : "Record failed permanently; error record written", fields);
        }
    }

    /** {@code AdmissionWaitSeconds}: how long an admitted upload waited for its slot. */
    void admitted(java.time.Duration waited) {
        metrics.publish(List.of(new Datum(MetricNames.ADMISSION_WAIT_SECONDS, waited.toMillis() / 1000.0, Unit.SECONDS)), Map.of());
    }

    /** The admission gauges, once per sweep. */
    void admissionState(int queuedFiles, int inFlightJobs, java.time.Duration oldestWait) {
        metrics.publish(List.of(
                new Datum(MetricNames.QUEUED_FILES, queuedFiles, Unit.COUNT),
                new Datum(MetricNames.IN_FLIGHT_JOBS, inFlightJobs, Unit.COUNT),
                new Datum(MetricNames.OLDEST_QUEUED_SECONDS, oldestWait.toMillis() / 1000.0, Unit.SECONDS)), Map.of());
    }

    /** {@code CallbackTimeouts = 1}: a job whose result did not come in time. */
    void callbackTimedOut(PendingJob job) {
        metrics.publish(List.of(new Datum(MetricNames.CALLBACK_TIMEOUTS, 1, Unit.COUNT)), Map.of("attempt", job.attempt()));
    }
}
