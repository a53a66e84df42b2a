package dev.deepgramlambda.health;

import static dev.deepgramlambda.health.HealthTestBed.assertHealthLine;
import static dev.deepgramlambda.health.HealthTestBed.parse;
import static dev.deepgramlambda.health.HealthTestBed.units;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepgramlambda.standin.FakeDeepgram;
import dev.deepgramlambda.config.Settings;
import dev.deepgramlambda.testing.Fixtures;
import dev.deepgramlambda.testing.ManualClock;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The optional deep check: a real transcription of the bundled clip, on the schedule only. */
class DeepCheckTest {
    private static final String CLIP = "deep-check/one-second-tone.wav";

    @RegisterExtension
    final HealthTestBed bed = new HealthTestBed();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-29T12:00:00Z"));

    @Test
    void offByDefaultSoNoRunTranscribes() {
        // Given the default configuration
        HealthCheckHandler handler = bed.secret(FakeDeepgram.VALID_KEY).handler(clock);

        // When the schedule fires
        JsonNode verdict = bed.scheduledRun(handler);

        // Then only the connectivity call was made, and the verdict has no transcription check
        assertEquals(List.of("GET /v1/projects"), calls());
        assertFalse(verdict.path("checks").has("transcription"), verdict.toString());
    }

    @Test
    void transcribesTheBundledClipOnScheduledRunsOncePerInterval() {
        // Given the deep check every 5 minutes
        HealthCheckHandler handler = bed.secret(FakeDeepgram.VALID_KEY)
                .set(Settings.DEEP_CHECK_INTERVAL_MINUTES.name(), "5").handler(clock);

        // When the schedule fires at minutes 0, 1 and 5, and /health is asked at minute 5 first
        JsonNode first = bed.scheduledRun(handler);
        clock.advance(Duration.ofMinutes(1));
        bed.scheduledRun(handler);
        clock.advance(Duration.ofMinutes(4));
        bed.getHealth(handler);
        bed.scheduledRun(handler);

        // Then Deepgram transcribed at minutes 0 and 5 only: not between, and never for /health
        assertEquals(List.of("GET /v1/projects", "POST /v1/listen", "GET /v1/projects", "GET /v1/projects",
                "GET /v1/projects", "POST /v1/listen"), calls());
        assertEquals(parse("{\"status\":\"healthy\",\"reason\":\"transcribed the bundled one-second clip with nova-3\","
                + "\"httpStatus\":200}"), withoutLatency(first.path("checks").path("transcription")));
        RecordedRequest listen = bed.deepgram.requests().stream()
                .filter(r -> "POST".equals(r.getMethod())).findFirst().orElseThrow();
        assertEquals("nova-3", listen.getUrl().queryParameter("model"));
        assertEquals("health-deep-check", listen.getUrl().queryParameter("tag"));
        assertEquals("audio/wav", listen.getHeaders().get("Content-Type"));
        assertEquals(okio.ByteString.of(Fixtures.bytes(CLIP)), listen.getBody());
    }

    @Test
    void failedTranscriptionKeepsTheVerdictUnhealthyUntilTheNextDeepCheck() {
        // Given the deep check every 5 minutes, and a project that can list projects but not transcribe
        HealthCheckHandler handler = bed.secret(FakeDeepgram.VALID_KEY)
                .set(Settings.DEEP_CHECK_INTERVAL_MINUTES.name(), "5").handler(clock);
        bed.deepgram.enqueue(FakeDeepgram.json(200, "{\"projects\":[]}"));
        bed.deepgram.enqueue(FakeDeepgram.json(402, "{\"err_code\":\"ASR_PAYMENT_REQUIRED\",\"err_msg\":\"No credits.\"}"));

        // When the schedule fires, then again a minute later (deep check not due)
        HealthTestBed.Runs runs = bed.scheduledRuns(handler, clock, Duration.ofMinutes(1));
        JsonNode later = runs.last();

        // Then both runs are unhealthy because of the transcription, and page through HealthCheck 0
        String reason = "transcribing the bundled clip failed: the Deepgram project is out of credits"
                + " (HTTP 402, ASR_PAYMENT_REQUIRED)";
        assertEquals("unhealthy", later.path("status").asText());
        assertEquals(reason, later.path("reason").asText());
        assertEquals("healthy", later.path("checks").path("deepgram").path("status").asText());
        assertEquals(2, runs.emf().size());
        for (JsonNode line : runs.emf()) {
            assertHealthLine(line, units("HealthCheck", "HealthCheckLatency"), 0, "schedule", "unhealthy", reason);
        }
    }

    @Test
    void bundledClipIsOneSecondOf16kHzMonoPcm() throws Exception {
        // Given the clip shipped in the function's resources
        byte[] clip = Fixtures.bytes(CLIP);

        // When it is decoded as audio
        AudioFormat format;
        long frames;
        try (AudioInputStream audio = AudioSystem.getAudioInputStream(new BufferedInputStream(new ByteArrayInputStream(clip)))) {
            format = audio.getFormat();
            frames = audio.getFrameLength();
        }

        // Then it is the one second the README prices, and small
        assertEquals(16_000f, format.getSampleRate());
        assertEquals(1, format.getChannels());
        assertEquals(16, format.getSampleSizeInBits());
        assertEquals(1.0, frames / format.getFrameRate(), 1e-9);
        assertTrue(clip.length < 40_000, clip.length + " bytes");
    }

    private List<String> calls() {
        return bed.deepgram.requests().stream().map(r -> r.getMethod() + " " + r.getUrl().encodedPath()).toList();
    }

    private static JsonNode withoutLatency(JsonNode check) {
        ObjectNode copy = check.deepCopy();
        assertTrue(copy.remove("latencyMs").isNumber());
        return copy;
    }
}
