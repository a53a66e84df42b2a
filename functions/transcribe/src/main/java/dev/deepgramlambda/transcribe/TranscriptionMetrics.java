package dev.deepgramlambda.transcribe;

import dev.deepgramlambda.deepgram.ApiKey;
import dev.deepgramlambda.deepgram.CallStats;
import dev.deepgramlambda.metrics.MetricNames;
import dev.deepgramlambda.metrics.MetricsPublisher;
import dev.deepgramlambda.metrics.MetricsPublisher.Datum;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.cloudwatchlogs.emf.model.Unit;

/**
 * The EMF lines of one record: {@code Transcriptions} by status always; when Deepgram was called,
 * {@code RateLimitHits}, {@code DeepgramRetries} and {@code FallbackKeyUsed}, and for a transcript
 * also {@code TranscriptionLatency} and {@code AudioSecondsProcessed}.
 */
final class TranscriptionMetrics {
    private final MetricsPublisher publisher;

    TranscriptionMetrics(MetricsPublisher publisher) {
        this.publisher = publisher;
    }

    void publish(Outcome outcome) {
        publisher.publishOutcome(outcome.status(), Map.of("reason", outcome.reason()));
        outcome.deepgram().ifPresent(call -> {
            CallStats stats = call.stats();
            List<Datum> data = new ArrayList<>(List.of(
                    new Datum(MetricNames.RATE_LIMIT_HITS, stats.rateLimitHits(), Unit.COUNT),
                    new Datum(MetricNames.DEEPGRAM_RETRIES, stats.retries(), Unit.COUNT),
                    new Datum(MetricNames.FALLBACK_KEY_USED, stats.keySlot() == ApiKey.Slot.FALLBACK ? 1 : 0, Unit.COUNT)));
            if (outcome instanceof Outcome.Transcribed transcribed) {
                data.add(new Datum(MetricNames.TRANSCRIPTION_LATENCY, call.millis(), Unit.MILLISECONDS));
                transcribed.audioSeconds().ifPresent(seconds ->
                        data.add(new Datum(MetricNames.AUDIO_SECONDS_PROCESSED, seconds, Unit.SECONDS)));
            }
            publisher.publish(data, Map.of());
        });
    }
}
