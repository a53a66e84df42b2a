package dev.deepgramlambda.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepgramlambda.config.Settings;
import dev.deepgramlambda.aws.AwsClientSettings;
import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.deepgram.DeepgramClient;
import dev.deepgramlambda.metrics.MetricsPublisher;
import dev.deepgramlambda.testing.LoopbackServer;
import dev.deepgramlambda.testing.StdoutCapture;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * KeyRotationFunction's SnapStart hooks: priming needs no network and touches no secret or key, and
 * afterRestore makes the next step open a fresh Deepgram connection.
 */
class KeyRotationPrimingTest {

    @Test
    void givenNoReachableAwsOrDeepgram_whenBeforeCheckpointRuns_thenPrimingStillGetsThroughTheStep() {
        try (RotationScenario s = RotationScenario.withJsonSecrets(); StdoutCapture stdout = new StdoutCapture()) {
            String nowhere = "http://127.0.0.1:" + LoopbackServer.closedPort();
            Map<String, String> variables = new HashMap<>(s.environment(Map.of("AWS_ENDPOINT_URL", nowhere, "DEEPGRAM_BASE_URL", nowhere)));
            Env env = new Env(variables);
            RotationConfig config = RotationConfig.from(env);
            KeyRotationPriming priming = new KeyRotationPriming(config, AwsClientSettings.from(env),
                    DeepgramClient.create(config.deepgram()), MetricsPublisher.from(env), s.clock);

            priming.beforeCheckpoint(null);

            assertEquals(List.of(), stdout.emfLines(), "priming prints no metric");
            assertEquals(0, s.deepgram.requests().size());
        }
    }

    @Test
    void givenAnOnDemandColdStart_whenTheHandlerIsBuilt_thenItPrimesDuringInitWithoutTouchingSecretsOrKeys() {
        try (RotationScenario s = RotationScenario.withJsonSecrets(); StdoutCapture stdout = new StdoutCapture()) {
            Map<String, List<String>> stagesBefore = s.stages();

            s.handler(Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand"));

            List<JsonNode> primed = stdout.logLines().stream()
                    .filter(l -> l.path("message").asText().equals("Primed during init")).toList();
            assertEquals(1, primed.size(), stdout.text());
            assertEquals(0, s.deepgram.requests().size(), "Deepgram requests while priming");
            assertEquals(stagesBefore, s.stages(), "the secret's versions are untouched");
        }
    }

    @Test
    void givenPooledDeepgramConnections_whenAfterRestoreRuns_thenTheNextStepOpensAFreshOne() {
        try (RotationScenario s = RotationScenario.withJsonSecrets()) {
            KeyRotationHandler handler = s.handler(Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start"));
            String token = RotationScenario.fixtureToken();
            s.rotateUpToFinish(handler, token);
            int sent = s.deepgram.requests().size();
            Set<Integer> before = connections(s.deepgram.requests());

            handler.priming.afterRestore(null);
            s.invoke(handler, "testSecret", token);

            List<RecordedRequest> after = s.deepgram.requests().subList(sent, s.deepgram.requests().size());
            assertFalse(after.isEmpty(), "testSecret asks Deepgram");
            assertTrue(connections(after).stream().noneMatch(before::contains), "after a restore no pooled connection is reused");
        }
    }

    private static Set<Integer> connections(List<RecordedRequest> requests) {
        return requests.stream().map(RecordedRequest::getConnectionIndex).collect(Collectors.toSet());
    }

}
