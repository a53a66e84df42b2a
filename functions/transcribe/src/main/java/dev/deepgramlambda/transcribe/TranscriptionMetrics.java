package dev.deepgramlambda.transcribe;

import dev.deepgramlambda.deepgram.ApiKey;
import dev.deepgramlambda.deepgram.CallStats;
import dev.deepgramlambda.metrics.MetricNames;
import dev.deepgramlambda.metrics.MetricsPublisher;
import dev.deepgramlambda.metrics.MetricsPublisher.Datum;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.cloudwatchlogs.emf.model.Unit;

/**
 * The EMF lines of transcription: per record {@code Transcriptions} by status always; when Deepgram
 * was called, {@code RateLimitHits}, {@code DeepgramRetries} and {@code FallbackKeyUsed}; for a
 * transcript {@code TranscriptionLatency} and {@code AudioSecondsProcessed}. The callback sweep adds
 * {@code CallbackTimeouts} and the admission figures.
 */
final class TranscriptionMetrics {
    private final MetricsPublisher publisher;

    TranscriptionMetrics(MetricsPublisher publisher) {
        this.publisher = publisher;
    }

    void publish(Outcome outcome) {
        publisher.publishOutcome(outcome.status(), Map.of("reason", outcome.reason()));
        List<Datum> data = new ArrayList<>();
        outcome.deepgram().ifPresent(call -> {
            CallStats stats = call.stats();
            data.add(new Datum(MetricNames.RATE_LIMIT_HITS, stats.rateLimitHits(), Unit.COUNT));
            data.add(new Datum(MetricNames.DEEPGRAM_RETRIES, stats.retries(), Unit.COUNT));
            data.add(new Datum(MetricNames.FALLBACK_KEY_USED, stats.keySlot() == ApiKey.Slot.FALLBACK ? 1 : 0, Unit.COUNT));
        });
        if (outcome instanceof Outcome.TranscriptWritten written) {
            data.add(new Datum(MetricNames.TRANSCRIPTION_LATENCY, written.latencyMillis(), Unit.MILLISECONDS));
            written.audioSeconds().ifPresent(seconds -> data.add(new Datum(MetricNames.AUDIO_SECONDS_PROCESSED, seconds, Unit.SECONDS)));
        }
        if (!data.isEmpty()) {
            publisher.publish(data, Map.of());
        }
    }

    /** {@code CallbackTimeouts = 1}: a job whose result did not come in time. */
    void callbackTimedOut(PendingJob job) {
        publisher.publish(List.of(new Datum(MetricNames.CALLBACK_TIMEOUTS, 1, Unit.COUNT)), Map.of("attempt", job.attempt()));
    }

    /** {@code AdmissionWaitSeconds}: how long an admitted upload waited for its slot. */
    void admitted(Duration waited) {
        publisher.publish(List.of(new Datum(MetricNames.ADMISSION_WAIT_SECONDS, waited.toMillis() / 1000.0, Unit.SECONDS)), Map.of());
    }

    /** The admission gauges, once per sweep. */
    void admissionState(int queuedFiles, int inFlightJobs, Duration oldestWait) {
        publisher.publish(List.of(
                new Datum(MetricNames.QUEUED_FILES, queuedFiles, Unit.COUNT),
                new Datum(MetricNames.IN_FLIGHT_JOBS, inFlightJobs, Unit.COUNT),
                new Datum(MetricNames.OLDEST_QUEUED_SECONDS, oldestWait.toMillis() / 1000.0, Unit.SECONDS)), Map.of());
    }
}
