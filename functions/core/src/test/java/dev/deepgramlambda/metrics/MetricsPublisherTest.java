package dev.deepgramlambda.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepgramlambda.metrics.MetricsPublisher.Datum;
import dev.deepgramlambda.testing.StdoutCapture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.cloudwatchlogs.emf.model.Unit;

class MetricsPublisherTest {
    private final MetricsPublisher publisher = new MetricsPublisher("DeepgramTranscription", "my-stack");

    @Test
    void givenAnOutcome_whenPublished_thenOneEmfLineCountsItUnderServiceAndServicePlusStatusOnly() {
        JsonNode line;
        try (StdoutCapture stdout = new StdoutCapture()) {
            publisher.publishOutcome(MetricNames.Status.FAILURE, Map.of("reason", "empty-object"));
            line = single(stdout.emfLines());
        }

        JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
        assertEquals("DeepgramTranscription", directive.path("Namespace").asText());
        assertEquals("[[\"Service\"],[\"Service\",\"Status\"]]", directive.path("Dimensions").toString());
        assertEquals("[{\"Name\":\"Transcriptions\",\"Unit\":\"Count\"}]", directive.path("Metrics").toString());
        assertEquals("my-stack", line.path("Service").asText());
        assertEquals("failure", line.path("Status").asText());
        assertEquals(1.0, line.path("Transcriptions").asDouble());
        assertEquals("empty-object", line.path("reason").asText());
        assertFalse(line.has("LogGroup") || line.has("ServiceName") || line.has("ServiceType"),
                "the library's default dimensions must not appear: " + line);
    }

    @Test
    void givenMeasurements_whenPublished_thenTheyShareTheServiceDimensionWithTheirUnits() {
        JsonNode line;
        try (StdoutCapture stdout = new StdoutCapture()) {
            publisher.publish(List.of(
                    new Datum(MetricNames.TRANSCRIPTION_LATENCY, 1234, Unit.MILLISECONDS),
                    new Datum(MetricNames.AUDIO_SECONDS_PROCESSED, 19.5, Unit.SECONDS)), Map.of());
            line = single(stdout.emfLines());
        }

        JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
        assertEquals("[[\"Service\"]]", directive.path("Dimensions").toString());
        assertEquals(Map.of("TranscriptionLatency", "Milliseconds", "AudioSecondsProcessed", "Seconds"),
                StdoutCapture.metricUnits(line));
        assertEquals(1234.0, line.path("TranscriptionLatency").asDouble());
        assertEquals(19.5, line.path("AudioSecondsProcessed").asDouble());
    }

    private static JsonNode single(List<JsonNode> lines) {
        assertEquals(1, lines.size(), "EMF lines: " + lines);
        return lines.get(0);
    }
}
