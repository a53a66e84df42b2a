package dev.deepgramlambda.health;

import static dev.deepgramlambda.health.HealthTestBed.assertHealthLine;
import static dev.deepgramlambda.health.HealthTestBed.units;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepgramlambda.health.HealthTestBed.Runs;
import dev.deepgramlambda.standin.FakeDeepgram;
import dev.deepgramlambda.testing.Fixtures;
import dev.deepgramlambda.testing.ManualClock;
import dev.deepgramlambda.testing.StdoutCapture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The EventBridge schedule: every run checks Deepgram (whatever /health has cached), reports the
 * verdict as metrics, and reports how long the API key has left when that is known.
 */
class ScheduledRunTest {
    private static final Instant START = Instant.parse("2026-11-29T12:00:00Z");
    private static final String PROJECTS = "{\"projects\":[{\"project_id\":\"proj-1\",\"name\":\"Prod\"}]}";

    @RegisterExtension
    final HealthTestBed bed = new HealthTestBed();
    private final ManualClock clock = new ManualClock(START);

    @Test
    void scheduledRunChecksDespiteACachedVerdictAndRefreshesIt() {
        // Given /health has just cached a verdict
        HealthCheckHandler handler = bed.secret(FakeDeepgram.VALID_KEY).handler(clock);
        bed.getHealth(handler);

        // When the schedule fires, and /health is asked again afterwards
        List<JsonNode> emf;
        JsonNode verdict;
        try (StdoutCapture stdout = new StdoutCapture()) {
            clock.advance(Duration.ofSeconds(5));
            verdict = bed.scheduledRun(handler);
            clock.advance(Duration.ofSeconds(20));
            bed.getHealth(handler);
            emf = stdout.emfLines();
        }

        // Then the scheduled run called Deepgram and emitted its line; /health reused that verdict
        assertEquals(2, bed.deepgram.requests().size());
        assertEquals(1, emf.size());
        assertHealthLine(emf.get(0), units("HealthCheck", "HealthCheckLatency"), 1, "schedule", "healthy",
                "all checks passed");
        assertEquals("2026-11-29T12:00:05Z", verdict.path("checkedAt").asText());
        assertEquals(HealthTestBed.withoutTimings(bed.getHealth(handler).body()), HealthTestBed.withoutTimings(verdict));
    }

    @Test
    void keyExpiryComesFromDeepgramAndIsLookedUpOncePerKey() {
        // Given a secret naming its key, which Deepgram says expires in 10 days (the secret claims 40)
        HealthCheckHandler handler = bed.secret(credentials(START.plus(Duration.ofDays(40)))).handler(clock);
        bed.deepgram.enqueue(FakeDeepgram.json(200, PROJECTS));
        bed.deepgram.enqueue(FakeDeepgram.json(200, Fixtures.text("deepgram/get-project-key.docs-shape.json")
                .replace("${expiration_date}", START.plus(Duration.ofDays(10)).plus(Duration.ofHours(12)).toString())));

        // When two scheduled runs happen a minute apart
        Runs runs = bed.scheduledRuns(handler, clock, Duration.ofMinutes(1));

        // Then both report 10 days from Deepgram's date; the key was looked up only once
        assertEquals(List.of("/v1/projects", "/v1/projects/proj-1/keys/key-1", "/v1/projects"),
                bed.deepgram.requests().stream().map(r -> r.getUrl().encodedPath()).toList());
        assertEquals(2, runs.emf().size());
        for (JsonNode line : runs.emf()) {
            assertHealthLine(line, units("HealthCheck", "HealthCheckLatency", "ApiKeyDaysToExpiry"), 1, "schedule",
                    "healthy", "all checks passed");
            assertEquals(10, line.path("ApiKeyDaysToExpiry").asLong());
        }
        JsonNode secretCheck = runs.last().path("checks").path("secret");
        assertEquals(10, secretCheck.path("keyDaysToExpiry").asLong());
        assertEquals("2026-12-10T00:00:00Z", secretCheck.path("keyExpiresAt").asText());
    }

    @Test
    void keyExpiryFallsBackToTheSecretWhenTheKeyMayNotReadItself() {
        // Given a minimal-scope key: Deepgram answers 403 to the key lookup
        HealthCheckHandler handler = bed.secret(credentials(START.plus(Duration.ofDays(20)).plus(Duration.ofHours(12))))
                .handler(clock);
        bed.deepgram.enqueue(FakeDeepgram.json(200, PROJECTS));
        bed.deepgram.enqueue(FakeDeepgram.json(403, "{\"err_code\":\"FORBIDDEN\",\"err_msg\":\"Insufficient permissions.\"}"));

        // When scheduled runs happen now, a minute later, and an hour later
        List<JsonNode> emf = bed.scheduledRuns(handler, clock, Duration.ofMinutes(1), Duration.ofHours(1)).emf();

        // Then the secret's expiresAt is reported, the verdict stays healthy, and the lookup is
        // retried only after an hour
        assertEquals(List.of("/v1/projects", "/v1/projects/proj-1/keys/key-1", "/v1/projects", "/v1/projects",
                        "/v1/projects/proj-1/keys/key-1"),
                bed.deepgram.requests().stream().map(r -> r.getUrl().encodedPath()).toList());
        assertEquals(List.of(20L, 20L, 20L), emf.stream().map(l -> l.path("ApiKeyDaysToExpiry").asLong()).toList());
        assertEquals(List.of("healthy"), emf.stream().map(l -> l.path("status").asText()).distinct().toList());
    }

    @Test
    void bareKeySecretReportsNoExpiry() {
        // Given a bare key: nothing says when it expires
        HealthCheckHandler handler = bed.secret(FakeDeepgram.VALID_KEY).handler(clock);

        // When the schedule fires
        Runs runs = bed.scheduledRuns(handler, clock);

        // Then no ApiKeyDaysToExpiry is emitted rather than a made-up value
        assertHealthLine(runs.emf().get(0), units("HealthCheck", "HealthCheckLatency"), 1, "schedule", "healthy",
                "all checks passed");
        assertFalse(runs.last().path("checks").path("secret").has("keyDaysToExpiry"));
    }

    /** Issue 10, item 9: the key's expiry date tells an attacker when a leaked key stops working; /health may be public. */
    @Test
    void keyExpiryIsReportedToTheScheduleButNotToTheFunctionUrl() {
        // Given a secret naming its key, which Deepgram says expires in 10 days
        HealthCheckHandler handler = bed.secret(credentials(START.plus(Duration.ofDays(40)))).handler(clock);
        bed.deepgram.enqueue(FakeDeepgram.json(200, PROJECTS));
        bed.deepgram.enqueue(FakeDeepgram.json(200, Fixtures.text("deepgram/get-project-key.docs-shape.json")
                .replace("${expiration_date}", START.plus(Duration.ofDays(10)).toString())));

        // When the schedule runs, then someone asks /health
        JsonNode scheduled = bed.scheduledRun(handler);
        JsonNode answered = bed.getHealth(handler).body();

        // Then on-call's run has the date; the URL's answer has the same verdict without it
        assertEquals(10, scheduled.path("checks").path("secret").path("keyDaysToExpiry").asLong());
        assertEquals(scheduled.path("status"), answered.path("status"));
        assertFalse(answered.toString().contains("keyExpiresAt") || answered.toString().contains("keyDaysToExpiry")
                || answered.toString().contains("2026-12-09"), answered.toString());
    }

    private static String credentials(Instant secretExpiresAt) {
        return "{\"apiKey\":\"" + FakeDeepgram.VALID_KEY + "\",\"keyId\":\"key-1\",\"projectId\":\"proj-1\","
                + "\"expiresAt\":\"" + secretExpiresAt + "\"}";
    }
}
