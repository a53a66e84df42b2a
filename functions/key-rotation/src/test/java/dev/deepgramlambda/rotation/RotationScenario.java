package dev.deepgramlambda.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.testing.Fixtures;
import dev.deepgramlambda.testing.ManualClock;
import dev.deepgramlambda.testing.TestAws;
import dev.deepgramlambda.testing.TestBed;
import dev.deepgramlambda.testing.TestContext;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * One test's world: moto holding the transcription secret and the admin secret, the fake Deepgram
 * holding the keys made in its console, a clock, and Secrets Manager's side of a rotation (start
 * it, then invoke the function's steps in order with the events from {@code events/}).
 */
final class RotationScenario implements AutoCloseable {
    static final String SERVICE = "deepgram-transcription-test";
    static final String ADMIN_KEY = "dg-admin-key-from-console";
    static final String CONSOLE_KEY = "dg-transcription-key-from-console";
    static final String FALLBACK_KEY = "dg-fallback-key-from-console";
    /** The function Secrets Manager would invoke; moto has no Lambda to run without Docker. */
    static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:KeyRotationFunction";
    static final Instant START = Instant.parse("2026-11-29T12:00:00Z");

    final TestBed shared = TestBed.onMoto();
    final TestAws aws = shared.aws;
    final ManualClock clock = new ManualClock(START);
    final FakeDeepgramKeys deepgram = new FakeDeepgramKeys(clock);
    final String consoleKeyId;
    final String secretArn;
    final String adminSecretArn;

    private RotationScenario(boolean json) {
        deepgram.addKey(ADMIN_KEY, "key administration", List.of("member"));
        consoleKeyId = deepgram.addKey(CONSOLE_KEY, "transcription, first key", List.of("usage:write"));
        deepgram.addKey(FALLBACK_KEY, "transcription fallback", List.of("usage:write"));
        if (json) {
            adminSecretArn = aws.createSecret("deepgram/admin-key",
                    "{\"apiKey\":\"" + ADMIN_KEY + "\",\"projectId\":\"" + FakeDeepgramKeys.PROJECT_ID + "\"}");
            secretArn = aws.createSecret("deepgram/api-key", "{\"apiKey\":\"" + CONSOLE_KEY + "\",\"keyId\":\"" + consoleKeyId
                    + "\",\"projectId\":\"" + FakeDeepgramKeys.PROJECT_ID + "\",\"fallbackApiKey\":\"" + FALLBACK_KEY
                    + "\",\"team\":\"speech\"}");
        } else {
            adminSecretArn = aws.createSecret("deepgram/admin-key", ADMIN_KEY);
            secretArn = aws.createSecret("deepgram/api-key", CONSOLE_KEY);
        }
        shared.set("DEEPGRAM_BASE_URL", deepgram.baseUrl())
                .set("DEEPGRAM_ADMIN_SECRET_ID", adminSecretArn)
                .set("DEEPGRAM_TIMEOUT_SECONDS", "1")
                .set("SERVICE_NAME", SERVICE);
    }

    /** Secrets in the JSON format, the first key's id and project recorded, a fallback key prepared. */
    static RotationScenario withJsonSecrets() {
        return new RotationScenario(true);
    }

    /** Both secrets hold nothing but a bare key, as a user who set things up by hand might have. */
    static RotationScenario withBareKeys() {
        return new RotationScenario(false);
    }

    /** The environment the function gets from the template, plus {@code overrides}. */
    Map<String, String> environment(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(shared.environment());
        env.putAll(overrides);
        return env;
    }

    KeyRotationHandler handler() {
        return handler(Map.of());
    }

    KeyRotationHandler handler(Map<String, String> overrides) {
        return new KeyRotationHandler(new Env(environment(overrides)), clock);
    }

    /** The token of the sample events, used for a scenario's first rotation. */
    static String fixtureToken() {
        return eventJson("createSecret").path("ClientRequestToken").asText();
    }

    /**
     * What RotateSecret does before it invokes the function: stage AWSPENDING on a new version that
     * has no value yet. moto does exactly that, then fails to find the function to invoke.
     */
    void startRotation(String token) {
        try {
            aws.secrets().rotateSecret(b -> b.secretId(secretArn).clientRequestToken(token)
                    .rotationLambdaARN(FUNCTION_ARN).rotationRules(r -> r.automaticallyAfterDays(30L)));
        } catch (ResourceNotFoundException noLambdaInMoto) {
            // expected: the steps are invoked below, as Secrets Manager would
        }
        assertEquals(List.of("AWSPENDING"), stages().get(token), "Secrets Manager's side staged the rotation");
    }

    void invoke(KeyRotationHandler handler, String step, String token) {
        ObjectNode json = eventJson(step);
        json.put("SecretId", secretArn);
        json.put("ClientRequestToken", token);
        handler.handleRequest(Fixtures.event(SecretsManagerRotationEvent.class, json.toString()), new TestContext(Duration.ofSeconds(30)));
    }

    /** The steps before finishSecret, as Secrets Manager runs them: the new key is pending and tested. */
    static final List<String> STEPS_BEFORE_FINISH = List.of("createSecret", "setSecret", "testSecret");

    /** Starts a rotation and runs it up to, not including, finishSecret. */
    void rotateUpToFinish(KeyRotationHandler handler, String token) {
        startRotation(token);
        resume(handler, token, STEPS_BEFORE_FINISH);
    }

    /** A whole rotation, as Secrets Manager runs it. */
    void rotate(KeyRotationHandler handler, String token) {
        rotateUpToFinish(handler, token);
        invoke(handler, "finishSecret", token);
    }

    /** Secrets Manager retrying a rotation that failed: every step again, same token. */
    void retry(KeyRotationHandler handler, String token) {
        resume(handler, token, STEPS_BEFORE_FINISH);
        invoke(handler, "finishSecret", token);
    }

    private void resume(KeyRotationHandler handler, String token, List<String> steps) {
        steps.forEach(step -> invoke(handler, step, token));
    }

    Map<String, List<String>> stages() {
        return aws.secrets().describeSecret(b -> b.secretId(secretArn)).versionIdsToStages();
    }

    JsonNode version(String stage) {
        return parse(aws.secrets().getSecretValue(b -> b.secretId(secretArn).versionStage(stage)).secretString());
    }

    JsonNode version(String versionId, String stage) {
        return parse(aws.secrets().getSecretValue(b -> b.secretId(secretArn).versionId(versionId).versionStage(stage)).secretString());
    }

    String currentApiKey() {
        String value = aws.secrets().getSecretValue(b -> b.secretId(secretArn).versionStage("AWSCURRENT")).secretString();
        return value.startsWith("{") ? parse(value).path("apiKey").asText() : value;
    }

    /** The sample event for {@code step}: {@code createSecret} is {@code events/rotation-create-secret.json}. */
    static ObjectNode eventJson(String step) {
        String file = "events/rotation-" + step.replace("Secret", "") + "-secret.json";
        return (ObjectNode) parse(Fixtures.text(file));
    }

    static JsonNode parse(String json) {
        return Fixtures.json(json);
    }

    @Override
    public void close() {
        deepgram.close();
        shared.close();
    }
}
