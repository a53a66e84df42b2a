package dev.deepgramlambda.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepgramlambda.standin.FakeDeepgram;
import dev.deepgramlambda.testing.Fixtures;
import dev.deepgramlambda.standin.MotoServer;
import dev.deepgramlambda.standin.S3Notification;
import dev.deepgramlambda.testing.TestAws;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * The five functions the benchmark runs, each with the AWS state and events it needs, arranged in
 * a freshly reset moto_server and pointed at a fresh Deepgram stand-in.
 */
final class Scenarios {
    static final String BUCKET = "audio-bucket";
    static final String SECRET = "deepgram/api-key";
    static final String ADMIN_SECRET = "deepgram/admin-key";
    private static final String AUDIO = "audio/hello-en.wav";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Names in the order the table lists them. */
    static final List<String> NAMES = List.of("Floor", "NaiveTranscribe", "TranscribeFunction", "TranscribeUnprimed",
            "HealthCheckFunction", "KeyRotationFunction");
    /** Our function with priming during init turned off: the baseline priming is measured against. */
    private static final Map<String, String> WITHOUT_PRIMING = Map.of("PRIME_DURING_INIT", "false");

    private final Path repository;
    private final Path packages;
    private final int invocations;

    /** @param invocations events to prepare per subject: the cold JVMs' first invocations plus the warm series */
    Scenarios(Path repository, Path packages, int invocations) {
        this.repository = repository;
        this.packages = packages;
        this.invocations = invocations;
    }

    Subject arrange(String name, TestAws aws, FakeDeepgram deepgram) {
        return switch (name) {
            case "Floor" -> Subject.of(name, "dev.deepgramlambda.bench.handlers.FloorHandler", packages.resolve("Floor"), 1024,
                    environment(aws, deepgram), Collections.nCopies(invocations, "{}".getBytes(StandardCharsets.UTF_8)));
            case "NaiveTranscribe" -> Subject.of(name, "dev.deepgramlambda.bench.handlers.NaiveTranscribeHandler::handleRequest",
                    packages.resolve("Naive"), 1024, environment(aws, deepgram), uploads(aws));
            case "TranscribeFunction" -> Subject.of(name, "dev.deepgramlambda.transcribe.TranscribeHandler::handleRequest",
                    packages.resolve(name), 1024, environment(aws, deepgram), uploads(aws));
            case "TranscribeUnprimed" -> Subject.of(name, "dev.deepgramlambda.transcribe.TranscribeHandler::handleRequest",
                    packages.resolve("TranscribeFunction"), 1024, with(environment(aws, deepgram), WITHOUT_PRIMING), uploads(aws));
            case "HealthCheckFunction" -> {
                aws.createSecret(SECRET, key(FakeDeepgram.VALID_KEY));
                yield Subject.of(name, "dev.deepgramlambda.health.HealthCheckHandler::handleRequest", packages.resolve(name), 512,
                        environment(aws, deepgram), Collections.nCopies(invocations, event("health-schedule.json").toString()
                                .getBytes(StandardCharsets.UTF_8)));
            }
            case "KeyRotationFunction" -> Subject.of(name, "dev.deepgramlambda.rotation.KeyRotationHandler::handleRequest",
                    packages.resolve(name), 512, with(environment(aws, deepgram), Map.of("DEEPGRAM_ADMIN_SECRET_ID", ADMIN_SECRET)),
                    Collections.nCopies(invocations, stagedRotation(aws).getBytes(StandardCharsets.UTF_8)));
            default -> throw new IllegalArgumentException("no scenario " + name);
        };
    }

    /** What the template and Lambda give every function, pointed at the emulator and the stand-in. */
    private static Map<String, String> environment(TestAws aws, FakeDeepgram deepgram) {
        Map<String, String> env = new LinkedHashMap<>(aws.environment());
        env.put("AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_KEY);
        env.put("DEEPGRAM_SECRET_ID", SECRET);
        env.put("DEEPGRAM_BASE_URL", deepgram.baseUrl());
        env.put("SERVICE_NAME", "bench");
        env.put("METRICS_NAMESPACE", "Bench");
        return env;
    }

    private static Map<String, String> with(Map<String, String> env, Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(env);
        all.putAll(more);
        return all;
    }

    /** One new object per invocation, uploaded now; its S3 notification as the event. */
    private List<byte[]> uploads(TestAws aws) {
        aws.createBucket(BUCKET);
        aws.createSecret(SECRET, key(FakeDeepgram.VALID_KEY));
        byte[] audio = Fixtures.bytes(AUDIO);
        List<byte[]> events = new ArrayList<>();
        for (int i = 0; i < invocations; i++) {
            String objectKey = "incoming/upload-" + i + ".wav";
            String eTag = aws.put(BUCKET, objectKey, audio, Map.of()).eTag().replace("\"", "");
            events.add(S3Notification.objectCreated().add(S3Notification.Upload.of(BUCKET, objectKey, audio.length, eTag)).build().toBytes());
        }
        return events;
    }

    /**
     * A rotation Secrets Manager has started and createSecret has done (AWSPENDING holds a key), so
     * each invocation is the testSecret step: read AWSPENDING, ask Deepgram whether the key works.
     * It changes nothing, so every invocation can repeat it.
     */
    private String stagedRotation(TestAws aws) {
        String arn = aws.createSecret(SECRET, key(FakeDeepgram.VALID_KEY));
        aws.createSecret(ADMIN_SECRET, JSON.createObjectNode().put("apiKey", FakeDeepgram.VALID_KEY).put("projectId", "proj-test").toString());
        ObjectNode event = event("rotation-test-secret.json");
        String token = event.path("ClientRequestToken").asText();
        try {
            aws.secrets().rotateSecret(r -> r.secretId(arn).clientRequestToken(token)
                    .rotationLambdaARN("arn:aws:lambda:us-east-1:123456789012:function:KeyRotationFunction")
                    .rotationRules(rules -> rules.automaticallyAfterDays(30L)));
        } catch (ResourceNotFoundException noLambdaInMoto) {
            // moto stages AWSPENDING, then finds no function to invoke: the steps are the benchmark's to run
        }
        aws.secrets().putSecretValue(r -> r.secretId(arn).clientRequestToken(token).secretString(key(FakeDeepgram.VALID_KEY))
                .versionStages("AWSPENDING"));
        return event.put("SecretId", arn).toString();
    }

    private static String key(String apiKey) {
        return JSON.createObjectNode().put("apiKey", apiKey).toString();
    }

    /** A sample event from the repository's events/ folder, the one `sam local invoke` uses. */
    private ObjectNode event(String file) {
        try {
            return (ObjectNode) JSON.readTree(Files.readString(repository.resolve("events").resolve(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
