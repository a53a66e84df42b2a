package dev.deepgramlambda.transcribe;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepgramlambda.aws.AwsClientSettings;
import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.standin.FakeDeepgram;
import dev.deepgramlambda.standin.MotoServer;
import dev.deepgramlambda.standin.S3Notification;
import dev.deepgramlambda.testing.S3Events;
import dev.deepgramlambda.testing.StdoutCapture;
import dev.deepgramlambda.testing.TestAws;
import dev.deepgramlambda.testing.TestContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Runs TranscribeFunction as Lambda would, against moto_server and the Deepgram stand-in: events
 * deserialized by the runtime's serializer, a Context with a real deadline, stdout captured.
 */
final class FunctionHarness implements AutoCloseable {
    static final String BUCKET = "audio-bucket";
    static final String SECRET = "deepgram/api-key";
    private static final ObjectMapper JSON = new ObjectMapper();

    final TestAws aws;
    final FakeDeepgram deepgram = new FakeDeepgram();
    final AtomicInteger getSecretValueCalls = new AtomicInteger();
    private final Map<String, String> environment = new HashMap<>();

    /** Against the shared moto_server, wiped first. */
    FunctionHarness() {
        this(resetMoto());
    }

    /** Against any S3 and Secrets Manager emulator, e.g. LocalStack where Docker exists. */
    FunctionHarness(URI awsEndpoint) {
        aws = new TestAws(awsEndpoint);
        aws.createBucket(BUCKET);
        aws.createSecret(SECRET, FakeDeepgram.VALID_KEY);
        environment.putAll(aws.environment());
        environment.putAll(Map.of(
                "DEEPGRAM_SECRET_ID", SECRET,
                "DEEPGRAM_BASE_URL", deepgram.baseUrl(),
                "DEEPGRAM_OPTIONS", "smart_format=true",
                "DEEPGRAM_TIMEOUT_SECONDS", "2",
                "DEEPGRAM_BACKOFF_BASE_MILLIS", "20",
                "DEEPGRAM_BACKOFF_MAX_MILLIS", "200",
                "SERVICE_NAME", "test-stack"));
    }

    /** The function's environment as configured so far, e.g. for a child process. */
    Map<String, String> environment() {
        return Map.copyOf(environment);
    }

    private static URI resetMoto() {
        MotoServer moto = MotoServer.shared();
        moto.reset();
        return moto.endpoint();
    }

    FunctionHarness with(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** A handler as Lambda builds it once per container; SDK calls to GetSecretValue are counted. */
    TranscribeHandler coldStart() {
        ExecutionInterceptor counter = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if ("GetSecretValue".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
                    getSecretValueCalls.incrementAndGet();
                }
            }
        };
        Env env = new Env(environment);
        return new TranscribeHandler(env, AwsClientSettings.from(env).withInterceptor(counter));
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
        try {
            return JSON.readTree(read(key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        aws.close();
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
