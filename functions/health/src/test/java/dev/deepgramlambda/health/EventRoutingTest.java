package dev.deepgramlambda.health;

import static dev.deepgramlambda.health.HealthTestBed.assertHealthLine;
import static dev.deepgramlambda.health.HealthTestBed.parse;
import static dev.deepgramlambda.health.HealthTestBed.units;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.config.Settings;
import dev.deepgramlambda.health.HealthTestBed.HttpAnswer;
import dev.deepgramlambda.health.HealthTestBed.Observed;
import dev.deepgramlambda.standin.FakeDeepgram;
import dev.deepgramlambda.testing.StdoutCapture;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Which events the one handler accepts, what it does with the rest, and how it fails safe. */
class EventRoutingTest {
    @RegisterExtension
    final HealthTestBed bed = new HealthTestBed();

    @Test
    void otherPathsAnswer404WithoutCheckingAnything() {
        // Given a working setup
        HealthCheckHandler handler = bed.secret(FakeDeepgram.VALID_KEY).handler();

        // When the Function URL's root is requested instead of /health
        HttpAnswer answer = bed.request(handler, "GET", "/");

        // Then 404 pointing at the endpoint, and Deepgram was not called
        assertEquals(404, answer.statusCode());
        assertEquals(parse("{\"error\":\"not found: the health endpoint is GET /health\"}"), answer.body());
        assertEquals(0, bed.deepgram.requests().size());
    }

    @Test
    void otherMethodsAnswer405NamingGet() {
        // Given a working setup
        HealthCheckHandler handler = bed.secret(FakeDeepgram.VALID_KEY).handler();

        // When /health is POSTed to
        HttpAnswer answer = bed.request(handler, "POST", "/health");

        // Then 405 with Allow: GET
        assertEquals(405, answer.statusCode());
        assertEquals("GET", answer.headers().path("Allow").asText());
        assertEquals(0, bed.deepgram.requests().size());
    }

    @Test
    void unrecognisedEventIsRejectedNamingTheExpectedEvents() {
        // Given a working setup
        HealthCheckHandler handler = bed.secret(FakeDeepgram.VALID_KEY).handler();

        // When invoked with an S3 notification and with text that is not JSON
        IllegalArgumentException s3 = assertThrows(IllegalArgumentException.class,
                () -> HealthTestBed.invoke(handler, "{\"Records\":[{\"eventSource\":\"aws:s3\"}]}"));
        IllegalArgumentException text = assertThrows(IllegalArgumentException.class,
                () -> HealthTestBed.invoke(handler, "ping"));

        // Then each error says what was expected, and nothing was checked
        assertTrue(s3.getMessage().contains("expected an EventBridge \"Scheduled Event\""), s3.getMessage());
        assertTrue(s3.getMessage().contains("Function URL request"), s3.getMessage());
        assertTrue(text.getMessage().startsWith("The event is not valid JSON"), text.getMessage());
        assertEquals(0, bed.deepgram.requests().size());
    }

    @Test
    void invalidConfigurationStillReportsHealthCheckZeroOnEveryRun() {
        // Given an environment without the secret id and with an out-of-range timeout
        Map<String, String> variables = new HashMap<>();
        variables.put("AWS_REGION", "us-east-1");
        variables.put(Settings.HEALTH_TIMEOUT_SECONDS.name(), "99");
        variables.put("SERVICE_NAME", HealthTestBed.SERVICE);
        HealthCheckHandler handler = new HealthCheckHandler(new Env(variables));

        // When the schedule fires and /health is requested
        JsonNode verdict;
        List<JsonNode> scheduledEmf;
        try (StdoutCapture stdout = new StdoutCapture()) {
            verdict = bed.scheduledRun(handler);
            scheduledEmf = stdout.emfLines();
        }
        Observed seen = bed.observeGetHealth(handler);

        // Then both report unhealthy with every problem named, and each emitted HealthCheck 0
        String reason = "Invalid configuration: " + Settings.DEEPGRAM_SECRET_ID.name() + " is required; "
                + Settings.HEALTH_TIMEOUT_SECONDS.name() + " must be between 1 and 30, got 99";
        assertEquals("unhealthy", verdict.path("status").asText());
        assertEquals(reason, verdict.path("reason").asText());
        assertEquals(503, seen.answer().statusCode());
        assertEquals(reason, seen.answer().body().path("reason").asText());
        assertEquals(1, scheduledEmf.size());
        assertHealthLine(scheduledEmf.get(0), units("HealthCheck"), 0, "schedule", "unhealthy", reason);
        assertEquals(1, seen.emf().size());
        assertHealthLine(seen.emf().get(0), units("HealthCheck"), 0, "http", "unhealthy", reason);
    }
}
