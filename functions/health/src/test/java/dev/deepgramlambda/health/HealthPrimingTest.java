package dev.deepgramlambda.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepgramlambda.config.Settings;
import dev.deepgramlambda.aws.AwsClientSettings;
import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.deepgram.DeepgramClient;
import dev.deepgramlambda.deepgram.DeepgramSettings;
import dev.deepgramlambda.standin.FakeDeepgram;
import dev.deepgramlambda.testing.LoopbackServer;
import dev.deepgramlambda.testing.StdoutCapture;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * HealthCheckFunction's SnapStart hooks: priming needs no network at all, leaves the function's own
 * verdict cache empty, and afterRestore makes the next run open a fresh Deepgram connection.
 */
class HealthPrimingTest {
    private final HealthTestBed bed = new HealthTestBed().secret("{\"apiKey\":\"" + FakeDeepgram.VALID_KEY + "\"}");

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @Test
    void givenNoReachableAwsOrDeepgram_whenBeforeCheckpointRuns_thenPrimingStillGetsThroughEveryCheck() throws Exception {
        String nowhere = "http://127.0.0.1:" + LoopbackServer.closedPort();
        Env env = bed.set("AWS_ENDPOINT_URL", nowhere).set(Settings.DEEPGRAM_BASE_URL.name(), nowhere)
                .set(Settings.DEEP_CHECK_INTERVAL_MINUTES.name(), "60").env();
        HealthConfig config = HealthConfig.from(env);
        HealthPriming priming = new HealthPriming(config, AwsClientSettings.from(env), DeepgramClient.create(config.deepgram()),
                Clock.systemUTC());

        try (StdoutCapture stdout = new StdoutCapture()) {
            priming.beforeCheckpoint(null);
            assertEquals(List.of(), stdout.emfLines(), "priming prints no metric");
        }
    }

    @Test
    void givenSnapStart_whenPrimedBeforeTheCheckpoint_thenTheFirstRequestStillChecksDeepgramItself() throws Exception {
        HealthCheckHandler handler = new HealthCheckHandler(bed.set("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start").env());
        handler.priming.orElseThrow().beforeCheckpoint(null);
        assertEquals(0, bed.deepgram.requests().size(), "Deepgram requests while priming");

        assertEquals(200, bed.getHealth(handler).statusCode());

        assertEquals(1, bed.deepgram.requests().size(), "no verdict of priming's was cached: GET /health asked Deepgram");
    }

    @Test
    void givenAPooledDeepgramConnection_whenAfterRestoreRuns_thenTheNextRunOpensAFreshOne() {
        HealthCheckHandler handler = new HealthCheckHandler(bed.set("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start").env());
        bed.scheduledRun(handler);
        bed.scheduledRun(handler);
        assertEquals(1, bed.deepgram.connectionCount());

        handler.priming.orElseThrow().afterRestore(null);
        bed.scheduledRun(handler);

        assertEquals(2, bed.deepgram.connectionCount(), "after a restore the pooled connection is not reused");
    }

    @Test
    void givenAnOnDemandColdStart_whenTheHandlerIsBuilt_thenItPrimesDuringInitWithoutCallingDeepgram() {
        try (StdoutCapture stdout = new StdoutCapture()) {
            new HealthCheckHandler(bed.set("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand").env());
            List<JsonNode> primed = stdout.logLines().stream()
                    .filter(l -> l.path("message").asText().equals("Primed during init")).toList();
            assertEquals(1, primed.size(), stdout.text());
            assertTrue(stdout.emfLines().isEmpty(), stdout.text());
        }
        assertEquals(0, bed.deepgram.requests().size());
    }

}
