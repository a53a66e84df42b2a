package dev.deepgramlambda.rotation;

import static dev.deepgramlambda.rotation.KeyRotationHandlerTest.single;
import static dev.deepgramlambda.rotation.KeyRotationHandlerTest.sum;
import static dev.deepgramlambda.rotation.RotationScenario.CONSOLE_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepgramlambda.aws.AwsClientSettings;
import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.config.Settings;
import dev.deepgramlambda.deepgram.AudioBody;
import dev.deepgramlambda.deepgram.CallStats;
import dev.deepgramlambda.deepgram.Deadline;
import dev.deepgramlambda.deepgram.DeepgramClient;
import dev.deepgramlambda.deepgram.DeepgramSettings;
import dev.deepgramlambda.deepgram.ListenOptions;
import dev.deepgramlambda.deepgram.ListenRequest;
import dev.deepgramlambda.secrets.SecretCache;
import dev.deepgramlambda.standin.FakeDeepgram;
import dev.deepgramlambda.testing.Fixtures;
import dev.deepgramlambda.testing.StdoutCapture;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Old keys retire without breaking anyone who holds one: the replaced key stays valid until the
 * next rotation, and even then only once OLD_KEY_GRACE_HOURS (24 by default) have passed since it
 * was replaced. The transcription side is core's real SecretCache and DeepgramClient.
 */
class OldKeyRetirementTest {
    private static final Duration SCHEDULE = Duration.ofDays(30);

    @Test
    void givenAWarmContainerThatCachedTheConsoleKey_whenTheKeyIsRotated_thenItKeepsTranscribingAndTakesTheNewKeyAfterItsTtl() {
        try (RotationScenario s = RotationScenario.withJsonSecrets();
             SecretsManagerClient secretsManager = AwsClientSettings.from(new Env(s.aws.environment())).build(SecretsManagerClient.builder())) {
            SecretCache cache = new SecretCache(secretsManager, s.secretArn, Settings.SECRET_CACHE_TTL_SECONDS.defaultValue(), s.clock);
            DeepgramClient deepgram = DeepgramClient.create(DeepgramSettings.from(new Env(Map.of("DEEPGRAM_BASE_URL", s.deepgram.baseUrl()))));
            assertEquals(CONSOLE_KEY, keyThatTranscribed(s, deepgram, cache).value);

            s.rotate(s.handler(), RotationScenario.fixtureToken());
            s.clock.advance(Duration.ofSeconds(299));
            Transcribed warm = keyThatTranscribed(s, deepgram, cache);
            s.clock.advance(Duration.ofSeconds(2));
            Transcribed refreshed = keyThatTranscribed(s, deepgram, cache);

            assertEquals(CONSOLE_KEY, warm.value, "the cached key still works: it was not retired");
            assertEquals(1, warm.attempts, "without a 401 round trip");
            assertEquals(single(s.deepgram.createdKeys()).secret(), refreshed.value, "after the cache TTL the new key serves");
            assertEquals(1, refreshed.attempts);
        }
    }

    @Test
    void givenTheGracePeriodHasPassed_whenTheNextRotationFinishes_thenOnlyTheKeyTwoRotationsBackIsDeleted() {
        try (RotationScenario s = RotationScenario.withJsonSecrets(); StdoutCapture out = new StdoutCapture()) {
            KeyRotationHandler handler = s.handler();
            s.rotate(handler, RotationScenario.fixtureToken());
            FakeDeepgramKeys.Key first = single(s.deepgram.createdKeys());
            assertTrue(s.deepgram.key(s.consoleKeyId).orElseThrow().active(), "the first rotation deletes nothing");

            s.clock.advance(SCHEDULE);
            String second = UUID.randomUUID().toString();
            s.rotate(handler, second);
            s.invoke(handler, "finishSecret", second);

            assertFalse(s.deepgram.key(s.consoleKeyId).orElseThrow().active(), "two rotations back: deleted");
            assertTrue(s.deepgram.key(first.id()).orElseThrow().active(), "AWSPREVIOUS stays valid, so a rollback still works");
            assertEquals(first.secret(), s.version("AWSPREVIOUS").path("apiKey").asText());
            assertEquals(s.deepgram.createdKeys().get(1).secret(), s.currentApiKey());
            assertEquals(List.of(s.consoleKeyId), deletedKeyIds(s), "no other key was ever asked to be deleted");
            JsonNode deleted = logLine(out, "Deleted the key two rotations back");
            assertEquals(s.consoleKeyId, deleted.path("oldKeyId").asText());
            assertEquals(SCHEDULE.toHours(), deleted.path("replacedHoursAgo").asLong());
            logLine(out, "The key two rotations back was already deleted");
            assertEquals(0, sum(out.emfLines(), "OldKeyRetirementFailures"));
        }
    }

    @Test
    void givenRotationsWithinTheGracePeriod_whenTheSecondFinishes_thenTheOldKeyIsKeptAndLaterLeftToExpire() {
        try (RotationScenario s = RotationScenario.withJsonSecrets(); StdoutCapture out = new StdoutCapture()) {
            KeyRotationHandler handler = s.handler();
            s.rotate(handler, RotationScenario.fixtureToken());
            s.clock.advance(Duration.ofHours(2));
            s.rotate(handler, UUID.randomUUID().toString());

            assertTrue(s.deepgram.key(s.consoleKeyId).orElseThrow().active(), "replaced two hours ago: within the 24 h grace");
            JsonNode kept = logLine(out, "Keeping the old key: replaced less than OLD_KEY_GRACE_HOURS ago; it expires on its own");
            assertEquals(24, kept.path("graceHours").asInt());

            s.clock.advance(SCHEDULE);
            s.rotate(handler, UUID.randomUUID().toString());

            assertTrue(s.deepgram.key(s.consoleKeyId).orElseThrow().active(), "a kept key is not revisited; it expires on its own");
            assertFalse(s.deepgram.key(s.deepgram.createdKeys().get(0).id()).orElseThrow().active(), "the key two back from the third rotation");
            assertEquals(List.of(s.deepgram.createdKeys().get(0).id()), deletedKeyIds(s));
        }
    }

    @Test
    void givenAShorterGracePeriodConfigured_whenRotatedAgainAfterIt_thenTheOldKeyIsDeleted() {
        try (RotationScenario s = RotationScenario.withJsonSecrets()) {
            KeyRotationHandler handler = s.handler(Map.of("OLD_KEY_GRACE_HOURS", "1"));
            s.rotate(handler, RotationScenario.fixtureToken());
            s.clock.advance(Duration.ofMinutes(61));

            s.rotate(handler, UUID.randomUUID().toString());

            assertFalse(s.deepgram.key(s.consoleKeyId).orElseThrow().active());
        }
    }

    @Test
    void givenDeepgramFailsToDeleteTheOldKey_whenFinishSecretRuns_thenTheRotationStillSucceedsAndTheFailureIsCounted() {
        try (RotationScenario s = RotationScenario.withJsonSecrets(); StdoutCapture out = new StdoutCapture()) {
            KeyRotationHandler handler = s.handler();
            s.rotate(handler, RotationScenario.fixtureToken());
            s.clock.advance(SCHEDULE);
            String second = UUID.randomUUID().toString();
            s.rotateUpToFinish(handler, second);
            s.deepgram.failNext("DELETE", "/v1/projects/[^/]+/keys/.+", FakeDeepgram.json(503, "{\"err_code\":\"SERVICE_UNAVAILABLE\",\"err_msg\":\"Try again later.\"}"));

            s.invoke(handler, "finishSecret", second);

            assertEquals(s.deepgram.createdKeys().get(1).secret(), s.currentApiKey());
            assertTrue(s.deepgram.key(s.consoleKeyId).orElseThrow().active(), "left to expire on its own");
            JsonNode finish = out.emfLines().get(out.emfLines().size() - 1);
            assertEquals(1, finish.path("KeyRotations").asInt());
            assertEquals(1, finish.path("OldKeyRetirementFailures").asInt());
            assertEquals(0, finish.path("KeyRotationFailures").asInt());
            assertEquals("ERROR", logLine(out, "Could not retire the old key; it stays valid until it expires").path("level").asText());
        }
    }

    @Test
    void givenAFirstKeyWithoutAKeyIdInTheSecret_whenItIsTwoRotationsBack_thenItIsLeftForTheOperatorToDelete() {
        try (RotationScenario s = RotationScenario.withBareKeys(); StdoutCapture out = new StdoutCapture()) {
            KeyRotationHandler handler = s.handler();
            s.rotate(handler, RotationScenario.fixtureToken());
            s.clock.advance(SCHEDULE);

            s.rotate(handler, UUID.randomUUID().toString());

            assertTrue(s.deepgram.key(s.consoleKeyId).orElseThrow().active());
            assertTrue(deletedKeyIds(s).isEmpty());
            assertEquals("WARN", logLine(out,
                    "The key two rotations back is not identified in the secret (no keyId); delete it in the Deepgram console").path("level").asText());
        }
    }

    /** Which key a transcription used, and in how many attempts. */
    private record Transcribed(String value, int attempts) {}

    private static Transcribed keyThatTranscribed(RotationScenario s, DeepgramClient deepgram, SecretCache cache) {
        byte[] audio = Fixtures.bytes("audio/hello-en.wav");
        CallStats stats = new CallStats();
        deepgram.listen(new ListenRequest("nova-3", ListenOptions.empty(), "incoming/hello-en.wav",
                        new AudioBody.Streamed("audio/wav", audio.length, () -> new ByteArrayInputStream(audio))),
                cache, Deadline.in(Duration.ofSeconds(20)), stats);
        List<RecordedRequest> requests = s.deepgram.requests();
        String authorization = requests.get(requests.size() - 1).getHeaders().get("Authorization");
        return new Transcribed(authorization.substring("Token ".length()), stats.attempts());
    }

    private static List<String> deletedKeyIds(RotationScenario s) {
        return s.deepgram.requests().stream()
                .filter(r -> "DELETE".equals(r.getMethod()))
                .map(r -> r.getUrl().pathSegments().get(4))
                .distinct()
                .toList();
    }

    private static JsonNode logLine(StdoutCapture out, String message) {
        return out.logLines().stream().filter(l -> message.equals(l.path("message").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no log line '" + message + "' in:\n" + out.text()));
    }
}
