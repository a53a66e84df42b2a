package dev.deepgramlambda.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepgramlambda.cli.aws.AwsTarget;
import dev.deepgramlambda.cli.metrics.EmfRecord;
import dev.deepgramlambda.cli.pipeline.LocalPipeline;
import dev.deepgramlambda.cli.runtime.ExecutionEnvironment;
import dev.deepgramlambda.cli.runtime.FunctionDefinition;
import dev.deepgramlambda.cli.runtime.InvocationResult;
import dev.deepgramlambda.cli.runtime.LambdaLayout;
import dev.deepgramlambda.standin.FakeDeepgram;
import dev.deepgramlambda.standin.MotoServer;
import dev.deepgramlambda.standin.S3Notification;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The deployed TranscribeFunction behind a {@link MotoStack}: the real function, under the real Lambda
 * runtime interface client in a local execution environment, calling {@link FakeDeepgram}. Around it
 * this class plays what AWS does and moto cannot:
 * <ul>
 *   <li>S3's ObjectCreated notification: a listing of the upload prefix every 100 ms; each new object
 *       is invoked with the event S3 would send;</li>
 *   <li>Lambda's OnFailure destination: an invocation that fails is sent to the stack's failure queue at
 *       once as Lambda's invocation record (Lambda's two async retries are skipped);</li>
 *   <li>Lambda's logging: every line the function prints goes to the stack's function log group in
 *       moto's CloudWatch Logs;</li>
 *   <li>CloudWatch's extraction of embedded metrics: each EMF line becomes PutMetricData, one per
 *       dimension set, through a {@link MotoFront} (moto does not serve the SDK's CloudWatch protocol);
 *       point the CLI at {@link #endpoint()} to read them.</li>
 * </ul>
 */
final class S3TriggeredFunction implements AutoCloseable {
    static final String SECRET = "deployed-stack/deepgram-api-key";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AwsTarget aws = AwsTarget.emulator(MotoServer.shared().endpoint());
    private final S3Client s3 = aws.s3();
    private final SqsClient sqs = aws.client(SqsClient.builder());
    private final CloudWatchLogsClient logs = aws.client(CloudWatchLogsClient.builder());
    private final MotoFront front = new MotoFront();
    private final CloudWatchClient cloudWatch = AwsTarget.emulator(front.endpoint()).client(CloudWatchClient.builder());
    private final ExecutionEnvironment environment;
    private final List<MotoStack> watched = new CopyOnWriteArrayList<>();
    private final Map<String, String> logStreams = new ConcurrentHashMap<>();
    private final Set<String> invoked = new HashSet<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
    private int linesLogged;

    S3TriggeredFunction(String serviceName, FakeDeepgram deepgram) {
        try (SecretsManagerClient secrets = aws.client(SecretsManagerClient.builder())) {
            String value = "{\"apiKey\":\"" + FakeDeepgram.VALID_KEY + "\"}";
            try {
                secrets.createSecret(r -> r.name(SECRET).secretString(value));
            } catch (ResourceExistsException e) {
                secrets.putSecretValue(r -> r.secretId(SECRET).secretString(value));
            }
        }
        Map<String, String> env = new LinkedHashMap<>(Map.of(
                "DEEPGRAM_SECRET_ID", SECRET,
                "DEEPGRAM_BASE_URL", deepgram.baseUrl(),
                "AUDIO_SOURCE", "url",
                "SERVICE_NAME", serviceName,
                "DEEPGRAM_MAX_ATTEMPTS", "2",
                "DEEPGRAM_BACKOFF_BASE_MILLIS", "10",
                "DEEPGRAM_BACKOFF_MAX_MILLIS", "50",
                "DEEPGRAM_TIMEOUT_SECONDS", "5"));
        env.putAll(aws.lambdaEnvironment());
        LambdaLayout layout = LambdaLayout.locate(Optional.empty());
        environment = ExecutionEnvironment.start(new FunctionDefinition(LocalPipeline.FUNCTION_NAME, LocalPipeline.HANDLER,
                layout, 1024, Duration.ofSeconds(30), env), line -> { });
        ExecutionEnvironment.InitReport init = environment.awaitInit();
        if (!init.succeeded()) {
            throw new IllegalStateException("the deployed function could not start: " + init.error().get());
        }
        poller.scheduleWithFixedDelay(this::deliver, 100, 100, TimeUnit.MILLISECONDS);
    }

    /** From now on, uploads to {@code stack}'s bucket trigger the function. */
    S3TriggeredFunction trigger(MotoStack stack) {
        String group = stack.functionLogGroup();
        try {
            logs.createLogGroup(r -> r.logGroupName(group));
        } catch (ResourceAlreadyExistsException alreadyThere) {
            // the stack was triggered before
        }
        String stream = "2026/11/29/[$LATEST]" + UUID.randomUUID().toString().replace("-", "");
        logs.createLogStream(r -> r.logGroupName(group).logStreamName(stream));
        logStreams.put(stack.name(), stream);
        watched.add(stack);
        return this;
    }

    private synchronized void deliver() {
        try {
            for (MotoStack stack : watched) {
                for (S3Object object : s3.listObjectsV2Paginator(r -> r.bucket(stack.bucket()).prefix("incoming/")).contents()) {
                    if (invoked.add(stack.bucket() + "/" + object.key())) {
                        invoke(stack, object.key());
                    }
                }
            }
            shipLogs();
        } catch (RuntimeException e) {
            if (!poller.isShutdown()) {
                System.err.println("S3TriggeredFunction: " + e);
            }
        }
    }

    private void invoke(MotoStack stack, String key) {
        HeadObjectResponse head = s3.headObject(r -> r.bucket(stack.bucket()).key(key));
        byte[] event = S3Notification.objectCreated()
                .add(S3Notification.Upload.of(stack.bucket(), key, head.contentLength(), head.eTag()).withVersionId(head.versionId()))
                .build().toBytes();
        invokeAsync(stack, event);
    }

    /** Runs {@code event} as Lambda runs an asynchronous invocation of the stack's function, failure record included. */
    synchronized void invokeAsync(MotoStack stack, byte[] event) {
        InvocationResult result = environment.invoke(event);
        if (!result.succeeded()) {
            sqs.sendMessage(r -> r.queueUrl(stack.failureQueueUrl()).messageBody(onFailureRecord(event, result)));
        }
    }

    /** Lambda's invocation record for an async invocation that exhausted its retries. */
    private static String onFailureRecord(byte[] event, InvocationResult result) {
        try {
            ObjectNode record = JSON.createObjectNode();
            record.put("version", "1.0");
            record.put("timestamp", Instant.now().toString());
            ObjectNode context = record.putObject("requestContext");
            context.put("requestId", result.requestId());
            context.put("functionArn", "arn:aws:lambda:us-east-1:123456789012:function:TranscribeFunction:$LATEST");
            context.put("condition", "RetriesExhausted");
            context.put("approximateInvokeCount", 3);
            record.set("requestPayload", JSON.readTree(new String(event, StandardCharsets.UTF_8)));
            ObjectNode response = record.putObject("responseContext");
            response.put("statusCode", 200);
            response.put("executedVersion", "$LATEST");
            response.put("functionError", "Unhandled");
            record.set("responsePayload", JSON.readTree(result.body()));
            return record.toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** New output lines to each watched stack's function log group, as Lambda sends stdout to CloudWatch Logs. */
    private void shipLogs() {
        List<String> output = environment.output();
        if (output.size() == linesLogged) {
            return;
        }
        long now = System.currentTimeMillis();
        List<InputLogEvent> events = output.subList(linesLogged, output.size()).stream()
                .map(line -> InputLogEvent.builder().timestamp(now).message(line).build()).toList();
        EmfRecord.parseAll(output.subList(linesLogged, output.size())).forEach(this::extractMetrics);
        linesLogged = output.size();
        for (MotoStack stack : watched) {
            logs.putLogEvents(r -> r.logGroupName(stack.functionLogGroup()).logStreamName(logStreams.get(stack.name())).logEvents(events));
        }
    }

    /** What CloudWatch makes of one EMF line: every metric, under each of its dimension sets. */
    private void extractMetrics(EmfRecord record) {
        for (Map<String, String> dimensions : record.dimensionSets()) {
            List<MetricDatum> data = record.metrics().stream().map(metric -> MetricDatum.builder().metricName(metric.name())
                    .unit(StandardUnit.fromValue(metric.unit())).values(metric.values()).timestamp(Instant.now())
                    .dimensions(dimensions.entrySet().stream().map(d -> Dimension.builder().name(d.getKey()).value(d.getValue()).build()).toList())
                    .build()).toList();
            cloudWatch.putMetricData(r -> r.namespace(record.namespace()).metricData(data));
        }
    }

    /** moto behind a {@link MotoFront}: the endpoint where the CLI also reads the metrics extracted here. */
    URI endpoint() {
        return front.endpoint();
    }

    @Override
    public void close() {
        poller.shutdownNow();
        environment.close();
        s3.close();
        sqs.close();
        logs.close();
        cloudWatch.close();
        front.close();
    }
}
