package dev.deepgramlambda.transcribe;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.fasterxml.jackson.databind.JsonNode;
import dev.deepgramlambda.aws.AwsClientSettings;
import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.standin.FakeDeepgram;
import dev.deepgramlambda.standin.S3Notification;
import dev.deepgramlambda.testing.Fixtures;
import dev.deepgramlambda.testing.S3Events;
import dev.deepgramlambda.testing.StdoutCapture;
import dev.deepgramlambda.testing.TestAws;
import dev.deepgramlambda.testing.TestBed;
import dev.deepgramlambda.testing.TestContext;
import dev.deepgramlambda.testing.TestResource;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Runs TranscribeFunction as Lambda would, against moto_server and the Deepgram stand-in: events
 * deserialized by the runtime's serializer, a Context with a real deadline, stdout captured.
 */
final class FunctionHarness implements TestResource {
    static final String BUCKET = "audio-bucket";
    static final String SECRET = "deepgram/api-key";

    final TestBed shared;
    final TestAws aws;
    final FakeDeepgram deepgram = new FakeDeepgram();

    /** Against the shared moto_server, wiped first. */
    FunctionHarness() {
        this(TestBed.onMoto());
    }

    /** Against any S3 and Secrets Manager emulator, e.g. LocalStack where Docker exists. */
    FunctionHarness(URI awsEndpoint) {
        this(new TestBed(awsEndpoint));
    }

    private FunctionHarness(TestBed shared) {
        this.shared = shared;
        this.aws = shared.aws;
        aws.createBucket(BUCKET);
        aws.createSecret(SECRET, FakeDeepgram.VALID_KEY);
        shared.set("DEEPGRAM_SECRET_ID", SECRET)
                .set("DEEPGRAM_BASE_URL", deepgram.baseUrl())
                .set("DEEPGRAM_OPTIONS", "smart_format=true")
                .set("DEEPGRAM_TIMEOUT_SECONDS", "2")
                .set("DEEPGRAM_BACKOFF_BASE_MILLIS", "20")
                .set("DEEPGRAM_BACKOFF_MAX_MILLIS", "200")
                .set("SERVICE_NAME", "test-stack");
    }

    /** The function's environment as configured so far, e.g. for a child process. */
    Map<String, String> environment() {
        return shared.environment();
    }

    FunctionHarness with(String name, String value) {
        shared.set(name, value);
        return this;
    }

    /** A handler as Lambda builds it once per container; its SDK calls are counted. */
    TranscribeHandler coldStart() {
        Env env = new Env(shared.environment());
        return new TranscribeHandler(env, AwsClientSettings.from(env).withInterceptor(shared.callCounter()));
    }

    /** A handler on {@code clock}, for callback and admission tests that move time themselves. */
    TranscribeHandler handler(Clock clock) {
        Env env = new Env(shared.environment());
        return new TranscribeHandler(Pipeline.build(env, AwsClientSettings.from(env), clock));
    }

    /** CallbackSweepFunction's handler on {@code clock}. */
    CallbackSweepHandler sweep(Clock clock) {
        Env env = new Env(shared.environment());
        return new CallbackSweepHandler(env, AwsClientSettings.from(env), clock);
    }

    /** The event S3 sends for the object now at {@code key} in the harness's bucket. */
    S3Event created(String key) {
        HeadObjectResponse head = head(key);
        return S3Events.objectCreated(S3Notification.Upload.of(BUCKET, key, head.contentLength(), head.eTag()));
    }

    /** Every key under {@code prefix} in the harness's bucket. */
    List<String> keys(String prefix) {
        return aws.s3().listObjectsV2Paginator(r -> r.bucket(BUCKET).prefix(prefix)).contents().stream().map(S3Object::key).toList();
    }

    /** GetSecretValue calls made by the handlers this harness started. */
    int getSecretValueCalls() {
        return shared.calls("GetSecretValue");
    }

    /** Every SDK call the handlers this harness started made, by operation. */
    Map<String, Integer> awsCalls() {
        return shared.calls();
    }

    S3Notification.Upload upload(String key, byte[] content) {
        return upload(key, content, Map.of());
    }

    S3Notification.Upload upload(String key, byte[] content, Map<String, String> metadata) {
        String eTag = aws.put(BUCKET, key, content, metadata).eTag().replace("\"", "");
        return S3Notification.Upload.of(BUCKET, key, content.length, eTag);
    }

    Invocation invoke(TranscribeHandler handler, S3Event event) {
        return invoke(handler, event, Duration.ofSeconds(60));
    }

    Invocation invoke(TranscribeHandler handler, S3Event event, Duration timeout) {
        try (StdoutCapture stdout = new StdoutCapture()) {
            RuntimeException thrown = null;
            try {
                handler.handleRequest(event, new TestContext(timeout));
            } catch (RuntimeException e) {
                thrown = e;
            }
            return new Invocation(thrown, stdout.emfLines(), stdout.logLines(), stdout.text());
        }
    }

    String read(String key) {
        return aws.s3().getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asString(StandardCharsets.UTF_8);
    }

    JsonNode readJson(String key) {
        return Fixtures.json(read(key));
    }

    HeadObjectResponse head(String key) {
        return aws.s3().headObject(r -> r.bucket(BUCKET).key(key));
    }

    boolean exists(String key) {
        try {
            head(key);
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        deepgram.close();
        shared.close();
    }

    /** What one invocation did: what it threw, and what it wrote to stdout. */
    record Invocation(RuntimeException thrown, List<JsonNode> emf, List<JsonNode> logs, String stdout) {
        /** The EMF line counting the outcome of one record ({@code Transcriptions}). */
        List<JsonNode> outcomes() {
            return emf.stream().filter(l -> l.has("Transcriptions")).toList();
        }

        List<JsonNode> measurements() {
            return emf.stream().filter(l -> !l.has("Transcriptions")).toList();
        }

        JsonNode recordLog() {
            List<JsonNode> records = logs.stream().filter(l -> l.has("outcome")).toList();
            if (records.size() != 1) {
                throw new AssertionError("expected one record log line, got " + records);
            }
            return records.get(0);
        }
    }
}
