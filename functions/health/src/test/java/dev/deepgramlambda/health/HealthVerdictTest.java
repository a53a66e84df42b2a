package dev.deepgramlambda.health;

import static dev.deepgramlambda.health.HealthTestBed.assertHealthLine;
import static dev.deepgramlambda.health.HealthTestBed.parse;
import static dev.deepgramlambda.health.HealthTestBed.units;
import static dev.deepgramlambda.health.HealthTestBed.withoutTimings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepgramlambda.config.Settings;
import dev.deepgramlambda.health.HealthTestBed.Observed;
import dev.deepgramlambda.standin.FakeDeepgram;
import dev.deepgramlambda.testing.LoopbackServer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each verdict as on-call meets it: the {@code GET /health} answer (status code and body) and the
 * EMF line that feeds the alarm. Deepgram is the fake on loopback, the secret lives in moto.
 */
class HealthVerdictTest {
    private static final String PROJECTS = "{\"projects\":[{\"project_id\":\"proj-test\",\"name\":\"Test project\"}]}";
    private static final String SECRET_READ = "{\"status\":\"healthy\",\"reason\":\"Deepgram secret read\"}";

    @RegisterExtension
    final HealthTestBed bed = new HealthTestBed();

    @Test
    void healthyDeepgramAnswers200WithLatencyAndEmitsHealthCheckOne() {
        // Given a valid key in the secret and a responsive Deepgram
        HealthCheckHandler handler = bed.secret(FakeDeepgram.VALID_KEY).handler();

        // When /health is requested
        Observed seen = bed.observeGetHealth(handler);

        // Then 200 with the verdict, its checks and the latency of the one Deepgram call made
        assertVerdict(seen, 200, "healthy", "all checks passed",
                deepgramCheck("healthy", "GET /v1/projects answered within 1000 ms", 200));
        assertEquals("application/json", seen.answer().headers().path("Content-Type").asText());
        assertEquals("no-store", seen.answer().headers().path("Cache-Control").asText());
        long latency = seen.answer().body().path("latencyMs").asLong();
        assertEquals(latency, seen.answer().body().path("checks").path("deepgram").path("latencyMs").asLong());
        assertEquals(latency, seen.emf().get(0).path("HealthCheckLatency").asLong());
        assertTrue(latency <= 1000, "latency " + latency);
        RecordedRequest call = bed.deepgram.takeRequest();
        assertEquals("GET /v1/projects", call.getMethod() + " " + call.getUrl().encodedPath());
        assertEquals("Token " + FakeDeepgram.VALID_KEY, call.getHeaders().get("Authorization"));
    }

    @Test
    void slowDeepgramIsDegradedButStillAnswers200AndCountsAsUp() {
        // Given Deepgram answers correctly, but 1300 ms late, against a 1000 ms threshold
        HealthCheckHandler handler = bed.secret(FakeDeepgram.VALID_KEY).handler();
        bed.deepgram.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .body(PROJECTS).headersDelay(1300, TimeUnit.MILLISECONDS).build());

        // When /health is requested
        Observed seen = bed.observeGetHealth(handler);

        // Then degraded, 200 (transcriptions still work), HealthCheck 1, and the measured latency
        String reason = "GET /v1/projects answered, but slower than 1000 ms";
        assertVerdict(seen, 200, "degraded", reason, deepgramCheck("degraded", reason, 200));
        assertTrue(seen.emf().get(0).path("HealthCheckLatency").asLong() >= 1300, seen.emf().toString());
    }

    @Test
    void rejectedKeyWithoutFallbackIsUnhealthy503AfterOneSecretReread() {
        // Given the secret holds a key Deepgram rejects, and no fallback
        HealthCheckHandler handler = bed.secret("dg-revoked-key").handler();

        // When /health is requested
        Observed seen = bed.observeGetHealth(handler);

        // Then 503 naming the 401; the secret was re-read once in case it had been rotated
        String reason = "Deepgram rejected the API key (HTTP 401, INVALID_AUTH)";
        assertVerdict(seen, 503, "unhealthy", reason, deepgramCheck("unhealthy", reason, 401));
        assertEquals(1, bed.deepgram.requests().size());
        assertEquals(2, bed.secretsManagerCalls());
        assertFalse(seen.answer().body().toString().contains("dg-revoked-key"), "the key is never in the answer");
        assertFalse(seen.stdout().contains("dg-revoked-key"), "the key is never logged");
    }

    @Test
    void projectOutOfCreditsIsUnhealthy503() {
        // Given Deepgram answers 402 (out of credits)
        HealthCheckHandler handler = bed.secret(FakeDeepgram.VALID_KEY).handler();
        bed.deepgram.enqueue(FakeDeepgram.json(402, "{\"err_code\":\"ASR_PAYMENT_REQUIRED\","
                + "\"err_msg\":\"Project does not have enough credits for an ASR request.\",\"request_id\":\"req-402\"}"));

        // When /health is requested
        Observed seen = bed.observeGetHealth(handler);

        // Then 503; the answer, which may be public, withholds the account's billing state (issue 10,
        // item 9), while the metric line that on-call reads names the cause and Deepgram's error code
        String reason = "the Deepgram project is out of credits (HTTP 402, ASR_PAYMENT_REQUIRED)";
        assertEquals(503, seen.answer().statusCode());
        JsonNode body = withoutTimings(seen.answer().body());
        assertEquals(HealthAnswers.BILLING_WITHHELD, body.path("reason").asText());
        assertEquals(HealthAnswers.BILLING_WITHHELD, body.path("checks").path("deepgram").path("reason").asText());
        assertFalse(body.path("checks").path("deepgram").has("httpStatus"), body.toString());
        assertFalse(body.toString().contains("credits") || body.toString().contains("PAYMENT"), body.toString());
        assertHealthLine(seen.emf().get(0), units("HealthCheck", "HealthCheckLatency"), 0, "http", "unhealthy", reason);
    }

    @Test
    void minimalScopeKeyThatMayNotListProjectsIsHealthy() {
        // Given a rotated key with only usage:write: Deepgram authenticates it, then refuses the listing
        HealthCheckHandler handler = bed.secret(FakeDeepgram.VALID_KEY).handler();
        bed.deepgram.enqueue(FakeDeepgram.json(403, "{\"err_code\":\"FORBIDDEN\",\"err_msg\":\"Insufficient permissions.\"}"));

        // When /health is requested
        Observed seen = bed.observeGetHealth(handler);

        // Then healthy: Deepgram answered and accepted the key, which is all transcription needs
        assertVerdict(seen, 200, "healthy", "all checks passed", deepgramCheck("healthy",
                "GET /v1/projects answered 403 (a valid key without project:read) within 1000 ms", 403));
        assertEquals(1, seen.emf().get(0).path("HealthCheck").asInt());
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504})
    void deepgramServerErrorIsUnhealthy503(int status) {
        // Given a proxy in front of Deepgram answers a 5xx with a plain-text body
        HealthCheckHandler handler = bed.secret(FakeDeepgram.VALID_KEY).handler();
        bed.deepgram.enqueue(new MockResponse.Builder().code(status).body("upstream connect error").build());

        // When /health is requested
        Observed seen = bed.observeGetHealth(handler);

        // Then 503 naming Deepgram's status, after exactly one call (a canary does not retry)
        String reason = "Deepgram server error (HTTP " + status + ")";
        assertVerdict(seen, 503, "unhealthy", reason, deepgramCheck("unhealthy", reason, status));
        assertEquals(1, bed.deepgram.requests().size());
    }

    @Test
    void deepgramSilentBeyondTheTimeoutIsUnhealthy503() {
        // Given Deepgram takes 3 s to answer and the timeout is 1 s
        HealthCheckHandler handler = bed.secret(FakeDeepgram.VALID_KEY).handler();
        bed.deepgram.enqueue(new MockResponse.Builder().code(200).body(PROJECTS).headersDelay(3, TimeUnit.SECONDS).build());

        // When /health is requested
        Observed seen = bed.observeGetHealth(handler);

        // Then 503 after about the timeout, not after Deepgram's 3 s
        String reason = "no answer from Deepgram within 2000 ms";
        assertVerdict(seen, 503, "unhealthy", reason, deepgramCheck("unhealthy", reason, 0));
        long latency = seen.answer().body().path("latencyMs").asLong();
        assertTrue(latency >= 1000 && latency < 3000, "latency " + latency);
    }

    @Test
    void unreachableDeepgramIsUnhealthy503() {
        // Given DEEPGRAM_BASE_URL points at a loopback port nobody listens on
        HealthCheckHandler handler = bed.secret(FakeDeepgram.VALID_KEY)
                .set(Settings.DEEPGRAM_BASE_URL.name(), "http://127.0.0.1:" + LoopbackServer.closedPort()).handler();

        // When /health is requested
        Observed seen = bed.observeGetHealth(handler);

        // Then 503 naming the connection failure; no HTTP status since no answer came
        String reason = "cannot connect to Deepgram (ConnectException)";
        assertVerdict(seen, 503, "unhealthy", reason, deepgramCheck("unhealthy", reason, 0));
    }

    @Test
    void missingSecretIsUnhealthy503WithoutCallingDeepgram() {
        // Given the secret does not exist
        HealthCheckHandler handler = bed.handler();

        // When /health is requested
        Observed seen = bed.observeGetHealth(handler);

        // Then 503 blaming the secret, Deepgram untouched, no latency to report
        String reason = "cannot read the Deepgram secret (ResourceNotFoundException)";
        assertWithoutKey(seen, reason);
    }

    @Test
    void secretWithoutApiKeyIsUnhealthy503NamingTheProblem() {
        // Given the secret is JSON without "apiKey"
        HealthCheckHandler handler = bed.secret("{\"keyId\":\"k-1\"}").handler();

        // When /health is requested
        Observed seen = bed.observeGetHealth(handler);

        // Then 503 saying what is wrong with the secret
        assertWithoutKey(seen, "Deepgram secret is malformed: the secret JSON has no \"apiKey\" string");
    }

    @Test
    void primaryKeyRejectedButFallbackWorkingIsDegraded() {
        // Given the primary key is revoked and the prepared fallback key is valid
        HealthCheckHandler handler = bed.secret("{\"apiKey\":\"dg-revoked-key\",\"fallbackApiKey\":\""
                + FakeDeepgram.VALID_KEY + "\"}").handler();

        // When /health is requested
        Observed seen = bed.observeGetHealth(handler);

        // Then degraded: transcriptions run on the fallback, and on-call learns the primary is gone
        String reason = "Deepgram rejected the primary API key (HTTP 401); the fallback key works";
        assertVerdict(seen, 200, "degraded", reason, deepgramCheck("degraded", reason, 200));
        assertEquals(List.of("Token dg-revoked-key", "Token " + FakeDeepgram.VALID_KEY), authorizations());
        assertFalse(seen.stdout().contains(FakeDeepgram.VALID_KEY), "no key is logged");
    }

    @Test
    void keyRotatedUnderAWarmContainerStaysHealthy() {
        // Given a warm container that cached the old key
        bed.deepgram.acceptKeys("dg-old-key");
        HealthCheckHandler handler = bed.secret("dg-old-key").handler();
        assertEquals("healthy", bed.scheduledRun(handler).path("status").asText());

        // When the key is rotated (old one revoked) and the next scheduled run comes
        bed.aws.putSecret(HealthTestBed.SECRET_ID, "dg-new-key");
        bed.deepgram.acceptKeys("dg-new-key");
        JsonNode verdict = bed.scheduledRun(handler);

        // Then the 401 made it re-read the secret, and the new key passes: nobody is paged
        assertEquals("healthy", verdict.path("status").asText(), verdict.toString());
        assertEquals(List.of("Token dg-old-key", "Token dg-old-key", "Token dg-new-key"), authorizations());
    }

    @Test
    void rateLimitedManagementApiIsDegradedNotUnhealthy() {
        // Given Deepgram answers 429
        HealthCheckHandler handler = bed.secret(FakeDeepgram.VALID_KEY).handler();
        bed.deepgram.enqueue(FakeDeepgram.json(429, "{\"err_code\":\"TOO_MANY_REQUESTS\",\"err_msg\":\"Too many requests.\"}"));

        // When /health is requested
        Observed seen = bed.observeGetHealth(handler);

        // Then degraded: Deepgram is up and knows the key; the RateLimitHits alarm covers the rest
        String reason = "Deepgram is rate limiting this project (HTTP 429, TOO_MANY_REQUESTS)";
        assertVerdict(seen, 200, "degraded", reason, deepgramCheck("degraded", reason, 429));
    }

    /**
     * Asserts the whole answer after a Deepgram call was made: status code, body (timings
     * checked for form, then compared exactly without them) and the one EMF line with latency.
     */
    private static void assertVerdict(Observed seen, int statusCode, String status, String reason, JsonNode deepgram) {
        assertEquals(statusCode, seen.answer().statusCode(), seen.answer().toString());
        ObjectNode expected = (ObjectNode) parse("{\"checks\":{\"secret\":" + SECRET_READ + "}}");
        expected.put("status", status).put("reason", reason);
        ((ObjectNode) expected.get("checks")).set("deepgram", deepgram);
        assertEquals(expected, withoutTimings(seen.answer().body()));
        assertTrue(seen.answer().body().path("latencyMs").isNumber(), "a Deepgram call was timed");
        assertEquals(1, seen.emf().size(), "one EMF line per check");
        assertHealthLine(seen.emf().get(0), units("HealthCheck", "HealthCheckLatency"),
                "unhealthy".equals(status) ? 0 : 1, "http", status, reason);
    }

    /** The secret failed: 503, Deepgram not called, no latency anywhere. */
    private void assertWithoutKey(Observed seen, String reason) {
        assertEquals(503, seen.answer().statusCode());
        ObjectNode body = seen.answer().body().deepCopy();
        body.remove("checkedAt");
        assertEquals(parse("""
                {"status":"unhealthy","reason":"%s","latencyMs":null,"checks":{
                  "secret":{"status":"unhealthy","reason":"%s"},
                  "deepgram":{"status":"skipped","reason":"no API key to test"}}}
                """.formatted(reason.replace("\"", "\\\""), reason.replace("\"", "\\\""))), body);
        assertEquals(0, bed.deepgram.requests().size());
        assertEquals(1, seen.emf().size());
        assertHealthLine(seen.emf().get(0), units("HealthCheck"), 0, "http", "unhealthy", reason);
    }

    /** The expected Deepgram check without its latency; {@code httpStatus} 0 when no answer came. */
    private static JsonNode deepgramCheck(String status, String reason, int httpStatus) {
        ObjectNode check = (ObjectNode) parse("{}");
        check.put("status", status).put("reason", reason);
        if (httpStatus > 0) {
            check.put("httpStatus", httpStatus);
        }
        return check;
    }

    private List<String> authorizations() {
        return bed.deepgram.requests().stream().map(r -> r.getHeaders().get("Authorization")).toList();
    }

}
