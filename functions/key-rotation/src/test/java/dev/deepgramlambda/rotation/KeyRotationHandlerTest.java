package dev.deepgramlambda.rotation;

import static dev.deepgramlambda.rotation.RotationScenario.CONSOLE_KEY;
import static dev.deepgramlambda.rotation.RotationScenario.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepgramlambda.config.ConfigException;
import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.standin.FakeDeepgram;
import dev.deepgramlambda.testing.FaultyAwsProxy;
import dev.deepgramlambda.testing.Fixtures;
import dev.deepgramlambda.testing.ManualClock;
import dev.deepgramlambda.standin.MotoServer;
import dev.deepgramlambda.testing.StdoutCapture;
import dev.deepgramlambda.testing.TestContext;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * KeyRotationFunction driven as Secrets Manager drives it, against moto (versions and staging
 * labels) and a fake of Deepgram's key API. Every failure case ends with the same proof: the key
 * that was current is still current and still accepted, and every key Deepgram created is either
 * recorded in the secret or revoked.
 */
class KeyRotationHandlerTest {
    private static final String KEYS_PATH = "/v1/projects/[^/]+/keys";

    @Test
    void givenAKeyFromTheConsole_whenSecretsManagerRunsTheFourSteps_thenANinetyDayTranscriptionOnlyKeyIsCurrent() {
        try (RotationScenario s = RotationScenario.withJsonSecrets(); StdoutCapture out = new StdoutCapture()) {
            String originalVersion = versionWith(s, "AWSCURRENT");
            String token = RotationScenario.fixtureToken();

            s.rotate(s.handler(), token);

            FakeDeepgramKeys.Key created = single(s.deepgram.createdKeys());
            assertEquals(List.of("usage:write"), created.scopes());
            assertEquals(START.plus(Duration.ofDays(90)), created.expiresAt());
            assertTrue(created.comment().contains(RotationScenario.SERVICE) && created.comment().contains(token), created.comment());
            JsonNode current = s.version("AWSCURRENT");
            assertEquals(created.secret(), current.path("apiKey").asText());
            assertEquals(created.id(), current.path("keyId").asText());
            assertEquals(FakeDeepgramKeys.PROJECT_ID, current.path("projectId").asText());
            assertEquals(START.plus(Duration.ofDays(90)).toString(), current.path("expiresAt").asText());
            assertEquals(RotationScenario.FALLBACK_KEY, current.path("fallbackApiKey").asText(), "the fallback key is carried over");
            assertEquals("speech", current.path("team").asText(), "fields the rotation does not know are carried over");
            assertEquals(token, current.path("rotation").path("token").asText());
            assertEquals(START.toString(), current.path("rotation").path("createdAt").asText());
            assertEquals(originalVersion, current.path("rotation").path("replacesVersionId").asText());
            assertEquals(s.consoleKeyId, current.path("rotation").path("replacesKeyId").asText());
            assertEquals(Map.of(token, List.of("AWSCURRENT"), originalVersion, List.of("AWSPREVIOUS")), s.stages());
            assertTrue(s.deepgram.key(s.consoleKeyId).orElseThrow().active(), "the replaced key stays valid for warm containers");

            RecordedRequest probe = s.deepgram.requests().stream()
                    .filter(r -> r.getUrl().encodedPath().equals("/v1/listen")).findFirst().orElseThrow();
            assertEquals("Token " + created.secret(), probe.getHeaders().get("Authorization"));
            assertEquals("{}", probe.getBody().utf8(), "testSecret transcribes nothing");

            List<JsonNode> emf = out.emfLines();
            assertEquals(4, emf.size());
            for (JsonNode line : emf) {
                JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
                assertEquals("DeepgramTranscription", directive.path("Namespace").asText());
                assertEquals("[[\"Service\"]]", directive.path("Dimensions").toString());
                assertEquals(RotationScenario.SERVICE, line.path("Service").asText());
                assertEquals(0, line.path("KeyRotationFailures").asInt());
            }
            JsonNode finish = emf.get(3);
            assertEquals("finishSecret", finish.path("step").asText());
            assertEquals(Set.of("KeyRotationFailures:Count", "KeyRotations:Count", "OldKeyRetirementFailures:Count"),
                    metricsDeclared(finish));
            assertEquals(1, finish.path("KeyRotations").asInt());
            assertEquals(0, finish.path("OldKeyRetirementFailures").asInt());
            for (String secret : List.of(RotationScenario.ADMIN_KEY, CONSOLE_KEY, RotationScenario.FALLBACK_KEY, created.secret())) {
                assertFalse(out.text().contains(secret), "logs and metrics never contain a key");
            }
        }
    }

    @Test
    void givenEveryStepDeliveredTwice_whenTheRotationRuns_thenOneKeyIsCreatedAndPromotedOnce() {
        try (RotationScenario s = RotationScenario.withJsonSecrets(); StdoutCapture out = new StdoutCapture()) {
            KeyRotationHandler handler = s.handler();
            String token = RotationScenario.fixtureToken();
            s.startRotation(token);

            for (String step : List.of("createSecret", "setSecret", "testSecret", "finishSecret")) {
                s.invoke(handler, step, token);
                s.invoke(handler, step, token);
            }
            s.invoke(handler, "createSecret", token);

            FakeDeepgramKeys.Key created = single(s.deepgram.createdKeys());
            assertEquals(created.secret(), s.currentApiKey());
            assertEquals(2, s.stages().size(), "one version added, not one per delivery");
            assertEquals(1, sum(out.emfLines(), "KeyRotations"), "promoted once");
            assertEquals(0, sum(out.emfLines(), "KeyRotationFailures"));
        }
    }

    @Test
    void givenDeepgramAnswers503ToKeyCreation_whenCreateSecretRuns_thenItFailsVisiblyAndTheConsoleKeyStaysCurrent() {
        try (RotationScenario s = RotationScenario.withJsonSecrets(); StdoutCapture out = new StdoutCapture()) {
            KeyRotationHandler handler = s.handler();
            String token = RotationScenario.fixtureToken();
            s.startRotation(token);
            s.deepgram.failNext("POST", KEYS_PATH, FakeDeepgram.json(503, "{\"err_code\":\"SERVICE_UNAVAILABLE\",\"err_msg\":\"Try again later.\"}"));

            RotationException failure = assertThrows(RotationException.class, () -> s.invoke(handler, "createSecret", token));

            assertTrue(failure.getMessage().startsWith("createSecret failed: Deepgram server error (HTTP 503)"), failure.getMessage());
            assertConsoleKeyStillCurrent(s);
            assertEquals(List.of("AWSPENDING"), s.stages().get(token), "the pending version still has no value");
            assertTrue(s.deepgram.createdKeys().isEmpty());
            assertEquals(1, sum(out.emfLines(), "KeyRotationFailures"));
            assertEquals("Rotation step failed; AWSCURRENT is unchanged", out.logLines().get(out.logLines().size() - 1).path("message").asText());

            s.retry(handler, token);
            assertEquals(single(s.deepgram.createdKeys()).secret(), s.currentApiKey(), "Secrets Manager's retry completes the rotation");
        }
    }

    @Test
    void givenDeepgramCreatedAKeyButItsAnswerNeverArrived_whenCreateSecretIsRetried_thenThatUnrecordedKeyIsRevoked() {
        try (RotationScenario s = RotationScenario.withJsonSecrets()) {
            KeyRotationHandler handler = s.handler();
            String token = RotationScenario.fixtureToken();
            s.startRotation(token);
            s.deepgram.answerLate("POST", KEYS_PATH, Duration.ofSeconds(2));

            RotationException timeout = assertThrows(RotationException.class, () -> s.invoke(handler, "createSecret", token));
            assertTrue(timeout.getMessage().contains("timeout"), timeout.getMessage());
            FakeDeepgramKeys.Key lost = single(s.deepgram.createdKeys());
            assertTrue(lost.active() && lost.comment().contains(token), "Deepgram made a key the function never saw");

            s.invoke(handler, "createSecret", token);

            assertFalse(s.deepgram.key(lost.id()).orElseThrow().active(), "the unrecorded key is revoked");
            JsonNode pending = s.version(token, "AWSPENDING");
            FakeDeepgramKeys.Key stored = s.deepgram.key(pending.path("keyId").asText()).orElseThrow();
            assertEquals(stored.secret(), pending.path("apiKey").asText());
            assertEquals(List.of(stored), s.deepgram.createdKeys().stream().filter(FakeDeepgramKeys.Key::active).toList());
            assertConsoleKeyStillCurrent(s);
        }
    }

    @Test
    void givenSecretsManagerFailsToStoreTheNewKey_whenCreateSecretRuns_thenTheNewKeyIsRevokedAtOnce() {
        try (RotationScenario s = RotationScenario.withJsonSecrets();
             FaultyAwsProxy aws = new FaultyAwsProxy(MotoServer.shared().endpoint())) {
            KeyRotationHandler handler = s.handler(aws.environment());
            String token = RotationScenario.fixtureToken();
            s.startRotation(token);
            aws.fail("PutSecretValue");

            RotationException failure = assertThrows(RotationException.class, () -> s.invoke(handler, "createSecret", token));

            assertTrue(failure.getMessage().contains("An error occurred on the server side"), failure.getMessage());
            FakeDeepgramKeys.Key created = single(s.deepgram.createdKeys());
            assertFalse(created.active(), "a key that could not be stored is revoked, not orphaned");
            assertConsoleKeyStillCurrent(s);

            aws.heal();
            s.retry(handler, token);
            assertEquals(2, s.deepgram.createdKeys().size());
            assertEquals(s.deepgram.createdKeys().get(1).secret(), s.currentApiKey());
        }
    }

    /** Issue 10, item 8: PutSecretValue committed but its answer was lost; the stored key must not be revoked. */
    @Test
    void givenPutSecretValueCommitsButAnswersWithAnError_whenCreateSecretRuns_thenTheStoredKeyIsKeptAndTheRotationCompletes() {
        try (RotationScenario s = RotationScenario.withJsonSecrets();
             FaultyAwsProxy aws = new FaultyAwsProxy(MotoServer.shared().endpoint())) {
            KeyRotationHandler handler = s.handler(aws.environment());
            String token = RotationScenario.fixtureToken();
            s.startRotation(token);
            aws.failAfterCommit("PutSecretValue");

            s.invoke(handler, "createSecret", token);
            aws.heal();

            assertTrue(aws.injectedFaults("PutSecretValue") > 0, "the store's answer was lost");
            FakeDeepgramKeys.Key created = single(s.deepgram.createdKeys());
            assertTrue(created.active(), "the key AWSPENDING holds is never revoked");
            assertEquals(created.id(), s.version(token, "AWSPENDING").path("keyId").asText());
            s.retry(handler, token);
            assertEquals(created.secret(), s.currentApiKey());
        }
    }

    @Test
    void givenAnAdminSecretHoldingATranscriptionKey_whenCreateSecretRuns_thenTheErrorNamesTheMissingScopesAndNoKeyIsMade() {
        try (RotationScenario s = RotationScenario.withJsonSecrets()) {
            s.aws.putSecret(s.adminSecretArn, RotationScenario.FALLBACK_KEY);
            String token = RotationScenario.fixtureToken();
            s.startRotation(token);

            RotationException refused = assertThrows(RotationException.class, () -> s.invoke(s.handler(), "createSecret", token));

            assertEquals("createSecret failed: Deepgram refuses the admin key for POST /v1/projects/" + FakeDeepgramKeys.PROJECT_ID
                    + "/keys (403): it needs keys:read and keys:write (and project:read when no secret names the project)", refused.getMessage());
            assertTrue(s.deepgram.createdKeys().isEmpty());
            assertConsoleKeyStillCurrent(s);
        }
    }

    @Test
    void givenThePendingKeyWasDeletedInTheConsole_whenTestSecretRuns_thenItFailsAndTheConsoleKeyStaysCurrent() {
        try (RotationScenario s = RotationScenario.withJsonSecrets()) {
            KeyRotationHandler handler = s.handler();
            String token = RotationScenario.fixtureToken();
            s.startRotation(token);
            s.invoke(handler, "createSecret", token);
            s.invoke(handler, "setSecret", token);
            String pendingKeyId = s.version(token, "AWSPENDING").path("keyId").asText();
            s.deepgram.revoke(pendingKeyId);

            RotationException rejected = assertThrows(RotationException.class, () -> s.invoke(handler, "testSecret", token));

            assertTrue(rejected.getMessage().contains("Deepgram rejects pending key " + pendingKeyId + " (401)"), rejected.getMessage());
            assertConsoleKeyStillCurrent(s);
            assertEquals(List.of("AWSPENDING"), s.stages().get(token));
            assertEquals(pendingKeyId, single(s.deepgram.createdKeys()).id(), "the only key created is the one recorded in AWSPENDING");
        }
    }

    @Test
    void givenKeyScopesWithoutUsageWrite_whenTestSecretRuns_thenTheKeyIsRefusedBeforeItCanBePromoted() {
        try (RotationScenario s = RotationScenario.withJsonSecrets()) {
            KeyRotationHandler handler = s.handler(Map.of("KEY_SCOPES", "usage:read"));
            String token = RotationScenario.fixtureToken();
            s.startRotation(token);
            s.invoke(handler, "createSecret", token);

            RotationException refused = assertThrows(RotationException.class, () -> s.invoke(handler, "testSecret", token));

            assertTrue(refused.getMessage().contains("may not transcribe (403): KEY_SCOPES must include usage:write"), refused.getMessage());
            assertConsoleKeyStillCurrent(s);
        }
    }

    @Test
    void givenSecretsManagerFailsToMoveTheLabel_whenFinishSecretRuns_thenItFailsAndTheConsoleKeyStaysCurrent() {
        try (RotationScenario s = RotationScenario.withJsonSecrets(); StdoutCapture out = new StdoutCapture();
             FaultyAwsProxy aws = new FaultyAwsProxy(MotoServer.shared().endpoint())) {
            KeyRotationHandler handler = s.handler(aws.environment());
            String token = RotationScenario.fixtureToken();
            s.rotateUpToFinish(handler, token);
            aws.fail("UpdateSecretVersionStage");

            assertThrows(RotationException.class, () -> s.invoke(handler, "finishSecret", token));

            assertConsoleKeyStillCurrent(s);
            assertEquals(List.of("AWSPENDING"), s.stages().get(token));
            assertEquals(1, sum(out.emfLines(), "KeyRotationFailures"));

            aws.heal();
            s.invoke(handler, "finishSecret", token);
            assertEquals(single(s.deepgram.createdKeys()).secret(), s.currentApiKey());
        }
    }

    @Test
    void givenTheSecretWasScheduledForDeletionMidRotation_whenFinishSecretRuns_thenItRefusesAndTheRestoredSecretServesTheConsoleKey() {
        try (RotationScenario s = RotationScenario.withJsonSecrets()) {
            KeyRotationHandler handler = s.handler();
            String token = RotationScenario.fixtureToken();
            s.rotateUpToFinish(handler, token);
            s.aws.secrets().deleteSecret(b -> b.secretId(s.secretArn).recoveryWindowInDays(7L));

            RotationException refused = assertThrows(RotationException.class, () -> s.invoke(handler, "finishSecret", token));

            assertTrue(refused.getMessage().contains("is scheduled for deletion"), refused.getMessage());
            s.aws.secrets().restoreSecret(b -> b.secretId(s.secretArn));
            assertConsoleKeyStillCurrent(s);
            assertEquals(s.version(token, "AWSPENDING").path("keyId").asText(), single(s.deepgram.createdKeys()).id(),
                    "the new key is recorded in the pending version");
        }
    }

    @Test
    void givenSomeonePutANewValueMidRotation_whenFinishSecretRuns_thenTheirValueStaysCurrent() {
        try (RotationScenario s = RotationScenario.withJsonSecrets()) {
            KeyRotationHandler handler = s.handler();
            String token = RotationScenario.fixtureToken();
            s.rotateUpToFinish(handler, token);
            s.aws.putSecret(s.secretArn, "{\"apiKey\":\"" + RotationScenario.FALLBACK_KEY + "\"}");

            RotationException refused = assertThrows(RotationException.class, () -> s.invoke(handler, "finishSecret", token));

            assertTrue(refused.getMessage().contains("AWSCURRENT changed during this rotation"), refused.getMessage());
            assertEquals(RotationScenario.FALLBACK_KEY, s.currentApiKey());
        }
    }

    @Test
    void givenATokenSecretsManagerNeverIssued_whenFinishSecretRuns_thenItFailsWithoutTouchingTheSecret() {
        try (RotationScenario s = RotationScenario.withJsonSecrets()) {
            KeyRotationHandler handler = s.handler();
            String token = RotationScenario.fixtureToken();
            s.startRotation(token);
            s.invoke(handler, "createSecret", token);
            String stranger = UUID.randomUUID().toString();

            RotationException refused = assertThrows(RotationException.class, () -> s.invoke(handler, "finishSecret", stranger));

            assertTrue(refused.getMessage().contains("has no version " + stranger), refused.getMessage());
            assertConsoleKeyStillCurrent(s);
            assertEquals(List.of("AWSPENDING"), s.stages().get(token));
        }
    }

    @Test
    void givenASecretWithoutRotationEnabled_whenCreateSecretRuns_thenNoKeyIsCreated() {
        try (RotationScenario s = RotationScenario.withJsonSecrets()) {
            RotationException refused = assertThrows(RotationException.class,
                    () -> s.invoke(s.handler(), "createSecret", RotationScenario.fixtureToken()));

            assertTrue(refused.getMessage().contains("rotation is not enabled for secret " + s.secretArn), refused.getMessage());
            assertTrue(s.deepgram.createdKeys().isEmpty());
        }
    }

    @Test
    void givenMalformedEvents_whenInvoked_thenEachErrorNamesWhatIsWrong() {
        try (RotationScenario s = RotationScenario.withJsonSecrets()) {
            KeyRotationHandler handler = s.handler();
            ObjectNode unknownStep = RotationScenario.eventJson("createSecret").put("Step", "rollbackSecret");
            ObjectNode noToken = RotationScenario.eventJson("createSecret");
            noToken.remove("ClientRequestToken");

            assertEquals("rotation failed: unknown Step 'rollbackSecret'; expected one of [createSecret, setSecret, testSecret, finishSecret]",
                    assertThrows(RotationException.class, () -> invokeRaw(handler, unknownStep)).getMessage());
            assertEquals("rotation failed: rotation event has no ClientRequestToken",
                    assertThrows(RotationException.class, () -> invokeRaw(handler, noToken)).getMessage());
            assertEquals("rotation failed: empty event: expected Secrets Manager's {\"Step\", \"SecretId\", \"ClientRequestToken\"}",
                    assertThrows(RotationException.class, () -> handler.handleRequest(null, new TestContext(Duration.ofSeconds(5)))).getMessage());
        }
    }

    @Test
    void givenBareKeysWithoutProjectIds_whenRotated_thenTheProjectComesFromTheAdminKeyAndTheSecretBecomesJson() {
        try (RotationScenario s = RotationScenario.withBareKeys()) {
            String token = RotationScenario.fixtureToken();

            s.rotate(s.handler(), token);

            JsonNode current = s.version("AWSCURRENT");
            assertEquals(single(s.deepgram.createdKeys()).secret(), current.path("apiKey").asText());
            assertEquals(FakeDeepgramKeys.PROJECT_ID, current.path("projectId").asText());
            assertFalse(current.has("fallbackApiKey"));
            assertFalse(current.path("rotation").has("replacesKeyId"), "a bare key has no recorded id");
            assertTrue(s.deepgram.key(s.consoleKeyId).orElseThrow().active());
        }
    }

    @Test
    void givenAnInvalidConfiguration_whenTheFunctionStarts_thenEveryProblemIsNamedAtOnce() {
        Env env = new Env(Map.of("KEY_SCOPES", "usage write!", "KEY_TTL_DAYS", "30", "OLD_KEY_GRACE_HOURS", "720"));

        ConfigException invalid = assertThrows(ConfigException.class, () -> new KeyRotationHandler(env, new ManualClock(START)));

        assertEquals(List.of(
                "DEEPGRAM_ADMIN_SECRET_ID is required",
                "KEY_SCOPES holds 'write!', which is not a Deepgram scope such as usage:write",
                "OLD_KEY_GRACE_HOURS must be shorter than KEY_TTL_DAYS: keys expire on their own by then"), invalid.problems());
    }

    private static void invokeRaw(KeyRotationHandler handler, ObjectNode json) {
        handler.handleRequest(Fixtures.event(SecretsManagerRotationEvent.class, json.toString()), new TestContext(Duration.ofSeconds(5)));
    }

    /** The key that was current before the rotation is still current, and Deepgram still accepts it. */
    static void assertConsoleKeyStillCurrent(RotationScenario s) {
        assertEquals(CONSOLE_KEY, s.currentApiKey());
        assertTrue(s.deepgram.key(s.consoleKeyId).orElseThrow().active());
    }

    static String versionWith(RotationScenario s, String stage) {
        return s.stages().entrySet().stream().filter(e -> e.getValue().contains(stage)).findFirst().orElseThrow().getKey();
    }

    /** The metric names and units an EMF line declares, as {@code Name:Unit}; the library does not keep their order. */
    static Set<String> metricsDeclared(JsonNode emfLine) {
        Set<String> declared = new HashSet<>();
        emfLine.path("_aws").path("CloudWatchMetrics").get(0).path("Metrics")
                .forEach(m -> declared.add(m.path("Name").asText() + ":" + m.path("Unit").asText()));
        return declared;
    }

    static double sum(List<JsonNode> emfLines, String metric) {
        return emfLines.stream().mapToDouble(l -> l.path(metric).asDouble(0)).sum();
    }

    static <T> T single(List<T> items) {
        assertEquals(1, items.size(), "exactly one: " + items);
        return items.get(0);
    }
}
