package dev.deepgramlambda.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepgramlambda.aws.AwsClientSettings;
import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.standin.FakeDeepgram;
import dev.deepgramlambda.testing.Fixtures;
import dev.deepgramlambda.testing.ManualClock;
import dev.deepgramlambda.config.Settings;
import dev.deepgramlambda.testing.StdoutCapture;
import dev.deepgramlambda.testing.TestAws;
import dev.deepgramlambda.testing.TestBed;
import dev.deepgramlambda.testing.TestContext;
import dev.deepgramlambda.testing.TestResource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One test's world: moto (Secrets Manager) and a fake Deepgram on loopback, the function's
 * environment pointing at both, and the sample events from {@code events/} to invoke it with.
 */
final class HealthTestBed implements TestResource {
    static final String SECRET_ID = "deepgram/transcription";
    static final String SERVICE = "health-test-stack";
    static final String SCHEDULE_EVENT = "events/health-schedule.json";
    static final String FUNCTION_URL_EVENT = "events/health-function-url.json";

    final TestBed shared = TestBed.onMoto();
    final TestAws aws = shared.aws;
    final FakeDeepgram deepgram = new FakeDeepgram();

    /** An HTTP answer from the Function URL, body parsed. */
    record HttpAnswer(int statusCode, JsonNode headers, JsonNode body) {}

    /** An answer and what the function wrote to stdout meanwhile: EMF lines and logs. */
    record Observed(HttpAnswer answer, List<JsonNode> emf, String stdout) {}

    /** The verdicts of consecutive scheduled runs and the EMF lines they wrote. */
    record Runs(List<JsonNode> verdicts, List<JsonNode> emf) {
        JsonNode last() {
            return verdicts.get(verdicts.size() - 1);
        }
    }

    HealthTestBed() {
        shared.set(Settings.DEEPGRAM_SECRET_ID.name(), SECRET_ID)
                .set(Settings.DEEPGRAM_BASE_URL.name(), deepgram.baseUrl())
                .set(Settings.SERVICE_NAME.name(), SERVICE)
                // Short enough to keep timeout tests fast, long enough for a loopback answer on a busy machine.
                .set(Settings.HEALTH_TIMEOUT_SECONDS.name(), "2")
                .set(Settings.HEALTH_DEGRADED_MILLIS.name(), "1000");
    }

    HealthTestBed set(String name, String value) {
        shared.set(name, value);
        return this;
    }

    Env env() {
        return new Env(shared.environment());
    }

    /** Secrets Manager requests made by the function under test (not by the arranging client). */
    int secretsManagerCalls() {
        return shared.calls("GetSecretValue");
    }

    HealthTestBed secret(String value) {
        aws.createSecret(SECRET_ID, value);
        return this;
    }

    HealthCheckHandler handler() {
        return handler(Clock.systemUTC());
    }

    HealthCheckHandler handler(Clock clock) {
        AwsClientSettings settings = AwsClientSettings.from(env()).withInterceptor(shared.callCounter());
        return new HealthCheckHandler(HealthConfig.from(env()), settings, clock);
    }

    /** Invokes with the Function URL sample, unchanged. */
    HttpAnswer getHealth(HealthCheckHandler handler) {
        return http(handler, Fixtures.text(FUNCTION_URL_EVENT));
    }

    /** {@link #getHealth} with stdout captured. */
    Observed observeGetHealth(HealthCheckHandler handler) {
        try (StdoutCapture stdout = new StdoutCapture()) {
            HttpAnswer answer = getHealth(handler);
            return new Observed(answer, stdout.emfLines(), stdout.text());
        }
    }

    /** Invokes with the Function URL sample, method and path replaced. */
    HttpAnswer request(HealthCheckHandler handler, String method, String path) {
        ObjectNode event = (ObjectNode) parse(Fixtures.text(FUNCTION_URL_EVENT));
        event.put("rawPath", path);
        ((ObjectNode) event.path("requestContext").path("http")).put("method", method).put("path", path);
        return http(handler, event.toString());
    }

    /** Invokes with the schedule sample; returns the verdict the function wrote. */
    JsonNode scheduledRun(HealthCheckHandler handler) {
        return parse(invoke(handler, Fixtures.text(SCHEDULE_EVENT)));
    }

    /** A scheduled run now, then one more after each gap, with stdout captured. */
    Runs scheduledRuns(HealthCheckHandler handler, ManualClock clock, Duration... gaps) {
        try (StdoutCapture stdout = new StdoutCapture()) {
            List<JsonNode> verdicts = new java.util.ArrayList<>(List.of(scheduledRun(handler)));
            for (Duration gap : gaps) {
                clock.advance(gap);
                verdicts.add(scheduledRun(handler));
            }
            return new Runs(verdicts, stdout.emfLines());
        }
    }

    static String invoke(HealthCheckHandler handler, String event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
                    new TestContext(Duration.ofSeconds(30)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static HttpAnswer http(HealthCheckHandler handler, String event) {
        JsonNode response = parse(invoke(handler, event));
        return new HttpAnswer(response.path("statusCode").asInt(), response.path("headers"),
                parse(response.path("body").asText()));
    }

    static JsonNode parse(String json) {
        return Fixtures.json(json);
    }

    /**
     * The verdict with its measurements ({@code latencyMs} everywhere, {@code checkedAt}) removed,
     * after checking they are well-formed, so the rest can be compared exactly.
     */
    static JsonNode withoutTimings(JsonNode verdict) {
        ObjectNode copy = verdict.deepCopy();
        assertTrue(copy.path("checkedAt").isTextual(), "checkedAt missing: " + verdict);
        java.time.Instant.parse(copy.path("checkedAt").asText());
        copy.remove("checkedAt");
        assertTrue(copy.has("latencyMs"), "latencyMs missing: " + verdict);
        copy.remove("latencyMs");
        for (Iterator<JsonNode> checks = copy.path("checks").elements(); checks.hasNext(); ) {
            ((ObjectNode) checks.next()).remove("latencyMs");
        }
        return copy;
    }

    /**
     * Asserts one EMF line exactly: the namespace, the single dimension set [Service], the metric
     * names and units, the Service value, {@code HealthCheck}'s value and the verdict properties.
     *
     * @param units metric name to EMF unit, e.g. HealthCheck -> None
     */
    static void assertHealthLine(JsonNode line, Map<String, String> units, int healthCheck, String trigger,
                                 String status, String reason) {
        JsonNode directive = line.path("_aws").path("CloudWatchMetrics");
        assertEquals(1, directive.size(), "one metric directive: " + line);
        assertEquals("DeepgramTranscription", directive.get(0).path("Namespace").asText());
        assertEquals(parse("[[\"Service\"]]"), directive.get(0).path("Dimensions"));
        Map<String, String> actualUnits = new TreeMap<>();
        directive.get(0).path("Metrics").forEach(m -> actualUnits.put(m.path("Name").asText(), m.path("Unit").asText()));
        assertEquals(new TreeMap<>(units), actualUnits, "metric names and units");
        assertEquals(SERVICE, line.path("Service").asText());
        assertEquals(healthCheck, line.path("HealthCheck").asDouble(), 0.0);
        assertEquals(trigger, line.path("trigger").asText());
        assertEquals(status, line.path("status").asText());
        assertEquals(reason, line.path("reason").asText());
        units.keySet().forEach(name -> assertTrue(line.path(name).isNumber(), name + " has a value: " + line));
    }

    static Map<String, String> units(String... names) {
        Map<String, String> known = Map.of("HealthCheck", "None", "HealthCheckLatency", "Milliseconds",
                "ApiKeyDaysToExpiry", "None");
        Map<String, String> units = new HashMap<>();
        for (String name : names) {
            units.put(name, known.get(name));
        }
        return units;
    }

    @Override
    public void close() {
        deepgram.close();
        shared.close();
    }
}
