package dev.deepgramlambda.cli.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepgramlambda.cli.CliRun;
import dev.deepgramlambda.cli.MotoFront;
import dev.deepgramlambda.cli.aws.AwsTarget;
import dev.deepgramlambda.cli.stack.Deployment;
import dev.deepgramlambda.metrics.MetricNames;
import dev.deepgramlambda.standin.MotoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * verify against template.yaml deployed into moto_server's CloudFormation ({@link SamStackInMoto}),
 * through {@link MotoFront} (moto does not speak the SDK's CloudWatch protocol). A MockWebServer plays
 * the health Function URL; the HealthCheck metric is what the canary would have put.
 */
class VerifyCommandTest {
    private static final AtomicInteger STACKS = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<MockWebServer> HEALTH_ENDPOINTS = new ArrayList<>();
    private static MotoFront front;
    private static AwsTarget aws;
    /** Deployed once: the tests that only read it share it. */
    private static String healthy;

    @BeforeAll
    static void start() throws Exception {
        front = new MotoFront();
        aws = AwsTarget.emulator(front.endpoint());
        healthy = healthyStack(Instant.now().plus(80, ChronoUnit.DAYS));
    }

    @AfterAll
    static void stop() {
        front.close();
        HEALTH_ENDPOINTS.forEach(MockWebServer::close);
    }

    private static CliRun verify(String... args) {
        List<String> all = new ArrayList<>(List.of("verify"));
        all.addAll(List.of(args));
        all.addAll(List.of("--region", MotoServer.REGION, "--endpoint-url", front.endpoint().toString()));
        return CliRun.of(Map.of(), all.toArray(String[]::new));
    }

    private static String healthUrl(int status, String body) throws IOException {
        MockWebServer health = new MockWebServer();
        HEALTH_ENDPOINTS.add(health);
        MockResponse answer = new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json").body(body).build();
        health.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer;
            }
        });
        health.start();
        return health.url("/health").toString();
    }

    private static String secret(Instant expiresAt) {
        return "{\"apiKey\":\"dg-live-key-never-printed\",\"fallbackApiKey\":\"dg-fallback-never-printed\",\"keyId\":\"key-1\","
                + "\"projectId\":\"project-1\",\"expiresAt\":\"" + expiresAt + "\"}";
    }

    /** What a healthy go-live stack looks like: both secrets filled, rotation on, e-mail confirmed, concurrency below 50. */
    private static String healthyStack(Instant keyExpiry) throws IOException, InterruptedException {
        String name = "verify-" + STACKS.incrementAndGet();
        SamStackInMoto.deploy(name, healthUrl(200, "{\"status\":\"healthy\",\"latencyMs\":85}"),
                Map.of("NotificationEmail", "oncall@example.com", "EnableKeyRotation", "true", "TranscribeReservedConcurrency", "45"),
                Map.of("DeepgramSecret", secret(keyExpiry), "DeepgramAdminSecret", "{\"apiKey\":\"dg-admin-never-printed\",\"projectId\":\"p\"}"));
        canaryReports(name, 1.0);
        return name;
    }

    /** The HealthCheck value HealthCheckFunction would have put a moment ago. */
    private static void canaryReports(String stack, double value) {
        try (CloudWatchClient cloudWatch = aws.client(CloudWatchClient.builder())) {
            cloudWatch.putMetricData(r -> r.namespace(MetricNames.DEFAULT_NAMESPACE).metricData(d -> d.metricName(MetricNames.HEALTH_CHECK)
                    .dimensions(x -> x.name(MetricNames.SERVICE).value(stack)).value(value).timestamp(Instant.now().minusSeconds(20))));
        }
    }

    @Test
    void givenAHealthyDeployment_whenVerified_thenEveryItemPassesAndItExitsZero() {
        CliRun run = verify("--stack-name", healthy);

        assertEquals(0, run.status(), run.toString());
        assertFalse(run.out().contains("FAIL") || run.out().contains("WARN"), run.out());
        int alarms = AlarmContract.bundled().alarms().size();
        assertEquals(alarms, run.out().lines().filter(l -> l.startsWith("  PASS  alarm ")).count(), "one line per alarm: " + run.out());
        List<String> items = List.of("stack", "topic critical", "topic warning", "secret", "key rotation", "admin secret", "s3 trigger",
                "callback trigger", "output cannot trigger", "reserved concurrency", "admission limit", "on-failure destination",
                "failure queue", "log retention", "callback sweep", "health endpoint", "health metric");
        for (String item : items) {
            assertTrue(run.out().contains("  PASS  " + item + " "), item + ": " + run.out());
        }
        assertTrue(run.out().contains("expires ") && run.out().contains("(79 days left)"), run.out());
        String alias = ":" + Deployment.ALIAS;
        assertTrue(line(run, "s3 trigger").contains("/incoming/ [s3:ObjectCreated:*] -> ") && line(run, "s3 trigger").endsWith(alias),
                run.out());
        assertTrue(line(run, "callback trigger").contains("/deepgram-callbacks/results/ [s3:ObjectCreated:*] -> ")
                && line(run, "callback trigger").endsWith(alias), run.out());
        assertTrue(line(run, "output cannot trigger").contains("deepgram-callbacks/pending/, deepgram-callbacks/slots/, deepgram-callbacks/queue/"),
                run.out());
        assertTrue(line(run, "reserved concurrency").contains("45, at or below the admission limit 50 (DeepgramMaxConcurrency)"), run.out());
        assertTrue(line(run, "admission limit").contains("50, at or below Deepgram's limit 50"), run.out());
        assertTrue(line(run, "callback sweep").contains(alias + " rate(1 minute)"), run.out());
        assertFalse(run.out().contains("never-printed"), "no secret value is printed");
        assertTrue(run.out().contains("RESULT: PASS (" + (alarms + items.size()) + " passed, 0 warnings, 0 failed"), run.out());
    }

    @Test
    void givenAMisconfiguredDeployment_whenVerified_thenEachMisconfigurationFailsWithItsEvidenceAndFix() throws Exception {
        String stack = "verify-" + STACKS.incrementAndGet();
        // No e-mail (no subscription), the secret left empty, rotation off, no reserved concurrency, an
        // admission limit above Deepgram's pay-as-you-go limit.
        Map<String, String> outputs = SamStackInMoto.deploy(stack, healthUrl(503, "{\"status\":\"unhealthy\",\"reason\":\"deepgram 401\"}"),
                Map.of("TranscribeReservedConcurrency", "0", "DeepgramMaxConcurrency", "80"), Map.of());
        String sweepRule;
        try (CloudWatchClient cloudWatch = aws.client(CloudWatchClient.builder());
             SqsClient sqs = aws.client(SqsClient.builder());
             LambdaClient lambda = aws.client(LambdaClient.builder());
             EventBridgeClient events = aws.client(EventBridgeClient.builder())) {
            // Someone switched the sweep's schedule off in the console.
            String sweepAlias = lambda.getAlias(r -> r.functionName(outputs.get("CallbackSweepFunctionName")).name(Deployment.ALIAS)).aliasArn();
            sweepRule = events.listRuleNamesByTarget(r -> r.targetArn(sweepAlias)).ruleNames().get(0);
            events.disableRule(r -> r.name(sweepRule));
            // Someone "tuned" the error-rate alarm in the console: 50 % instead of the checklist's 5 %.
            MetricAlarm errorRate = cloudWatch.describeAlarms(r -> r.alarmNames(stack + "-transcription-error-rate")).metricAlarms().get(0);
            cloudWatch.putMetricAlarm(r -> r.alarmName(errorRate.alarmName()).alarmDescription(errorRate.alarmDescription())
                    .metrics(errorRate.metrics()).comparisonOperator(errorRate.comparisonOperator()).threshold(50.0)
                    .evaluationPeriods(errorRate.evaluationPeriods()).datapointsToAlarm(errorRate.datapointsToAlarm())
                    .treatMissingData(errorRate.treatMissingData()).alarmActions(errorRate.alarmActions()).okActions(errorRate.okActions()));
            sqs.sendMessage(r -> r.queueUrl(outputs.get("FailureQueueUrl")).messageBody("{\"requestPayload\":{}}"));
        }
        canaryReports(stack, 0.0);

        CliRun run = verify("--stack-name", stack);

        assertEquals(1, run.status(), run.toString());
        assertTrue(run.out().contains("  FAIL  alarm transcription-error-rate") && run.out().contains("threshold is 50, the checklist's is 5"),
                run.out());
        assertTrue(run.out().contains("  PASS  alarm transcription-latency-p95 "), "the other alarms are fine: " + run.out());
        assertTrue(run.out().contains("  FAIL  topic critical") && run.out().contains("no subscription at all"), run.out());
        assertTrue(run.out().contains("  FAIL  secret") && run.out().contains("holds no value")
                && run.out().contains("aws secretsmanager put-secret-value --secret-id " + outputs.get("DeepgramSecretArn")), run.out());
        assertTrue(line(run, "key rotation").startsWith("  WARN") && line(run, "key rotation").contains("off (EnableKeyRotation=false)"), run.out());
        assertTrue(line(run, "reserved concurrency").startsWith("  FAIL") && line(run, "reserved concurrency").contains(" none: "), run.out());
        assertTrue(line(run, "failure queue").startsWith("  WARN") && line(run, "failure queue").contains("1 failed upload(s) waiting")
                && run.out().contains("deepgram-lambda redrive --stack-name " + stack), run.out());
        assertTrue(run.out().contains("  FAIL  health endpoint") && run.out().contains("503"), run.out());
        assertTrue(run.out().contains("  FAIL  health metric") && run.out().contains("Deepgram unhealthy"), run.out());
        assertTrue(line(run, "admission limit").startsWith("  FAIL") && line(run, "admission limit").contains("80, above Deepgram's limit 50"),
                run.out());
        assertTrue(line(run, "callback sweep").startsWith("  FAIL") && line(run, "callback sweep").contains("is DISABLED")
                && run.out().contains("aws events enable-rule --name " + sweepRule), run.out());
        assertTrue(run.out().contains("  PASS  s3 trigger") && run.out().contains("  PASS  callback trigger")
                && run.out().contains("  PASS  log retention"), run.out());
        assertTrue(run.out().contains("RESULT: FAIL"), run.out());

        JsonNode json = JSON.readTree(verify("--stack-name", stack, "--json").out());
        assertEquals("FAIL", json.path("result").asText());
        assertEquals(9, json.path("summary").path("fail").asInt(), json.toPrettyString());
        assertEquals(2, json.path("summary").path("warn").asInt(), json.toPrettyString());
        JsonNode secretItem = find(json, "secret");
        assertEquals("FAIL", secretItem.path("verdict").asText());
        assertTrue(secretItem.path("evidence").get(0).asText().contains("holds no value"), secretItem.toString());
    }

    @Test
    void givenAKeyExpiringWithinTheWarningDays_whenVerified_thenTheSecretFails() throws Exception {
        String stack = healthyStack(Instant.now().plus(5, ChronoUnit.DAYS).plus(1, ChronoUnit.HOURS));

        CliRun run = verify("--stack-name", stack);

        assertEquals(1, run.status(), run.toString());
        assertTrue(run.out().contains("  FAIL  secret") && run.out().contains("(5 days left), within the 14-day warning"), run.out());
        assertFalse(run.out().contains("never-printed"), "no secret value is printed");
    }

    @Test
    void givenASamConfigEnvironment_whenVerifiedWithoutAStackName_thenItVerifiesTheStackItNames(@TempDir Path dir) throws Exception {
        String stack = healthy;
        Path samconfig = Files.writeString(dir.resolve("samconfig.toml"), """
                version = 0.1
                [staging.global.parameters]
                stack_name = "%s"
                [staging.deploy.parameters]
                capabilities = "CAPABILITY_IAM CAPABILITY_AUTO_EXPAND"
                """.formatted(stack));

        CliRun run = verify("--config-env", "staging", "--config-file", samconfig.toString(),
                "--deepgram-concurrency-limit", "40");

        assertTrue(run.out().startsWith("Verifying stack '" + stack + "'"), run.out());
        assertTrue(line(run, "reserved concurrency").startsWith("  PASS"), run.out());
        assertTrue(line(run, "admission limit").startsWith("  FAIL")
                && line(run, "admission limit").contains("50, above Deepgram's limit 40 (given with --deepgram-concurrency-limit)"),
                run.out());
        assertEquals(1, run.status(), run.toString());
        CliRun unknown = verify("--config-env", "prod", "--config-file", samconfig.toString());
        assertEquals(1, unknown.status());
        assertTrue(unknown.err().contains("has no environment [prod.*]"), unknown.err());
    }

    @Test
    void givenNoSuchStack_whenVerified_thenTheStackItemFailsSayingSo() {
        CliRun run = verify("--stack-name", "never-deployed");

        assertEquals(1, run.status(), run.toString());
        assertTrue(run.out().contains("  FAIL  stack ") && run.out().contains("stack 'never-deployed' not found"), run.out());
    }

    /**
     * SNS lists a subscription awaiting confirmation with the ARN "PendingConfirmation"
     * (ListSubscriptionsByTopic). moto confirms e-mail subscriptions at once (moto 5.2 sns/models.py
     * subscribe: PendingConfirmation false), so the pending case is judged on SNS's documented shape.
     */
    @Test
    void givenOnlyAPendingEmailSubscription_whenJudged_thenTheTopicFailsNamingTheConfirmation() {
        String topic = "arn:aws:sns:us-east-1:123456789012:prod-CriticalTopic-ABC";
        Subscription pending = Subscription.builder().subscriptionArn(AlertTopicCheck.PENDING).protocol("email")
                .endpoint("oncall@example.com").topicArn(topic).build();
        Subscription confirmed = pending.toBuilder().subscriptionArn(topic + ":8a21d249-4329-4871-acc6-7be709c6ea7f").protocol("https")
                .endpoint("https://events.pagerduty.com/x").build();

        Finding onlyPending = AlertTopicCheck.judge("topic critical", topic, List.of(pending));
        Finding both = AlertTopicCheck.judge("topic critical", topic, List.of(pending, confirmed));

        assertEquals(Finding.Verdict.FAIL, onlyPending.verdict());
        assertTrue(onlyPending.evidence().get(0).contains("pending confirmation: email:oncall@example.com"), onlyPending.toString());
        assertTrue(onlyPending.evidence().get(1).contains("click Confirm subscription"), onlyPending.toString());
        assertEquals(Finding.Verdict.WARN, both.verdict(), both.toString());
    }

    @Test
    void givenBadArguments_whenVerified_thenItExitsWith2AndSaysWhatIsWrong() {
        CliRun limit = verify("--stack-name", "x", "--deepgram-concurrency-limit", "0");
        CliRun unknown = verify("--stack-name", "x", "--colour");

        assertEquals(2, limit.status());
        assertTrue(limit.err().contains("--deepgram-concurrency-limit must be at least 1, got 0"), limit.err());
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().contains("Unknown option: '--colour'"), unknown.err());
    }

    /** The report line of one item. */
    private static String line(CliRun run, String item) {
        return run.out().lines().filter(l -> l.matches("  (PASS|WARN|FAIL)  " + java.util.regex.Pattern.quote(item) + " .*")).findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + item + " in " + run.out()));
    }

    private static JsonNode find(JsonNode report, String item) {
        for (JsonNode node : report.path("items")) {
            if (node.path("item").asText().equals(item)) {
                return node;
            }
        }
        throw new AssertionError("no item " + item + " in " + report.toPrettyString());
    }
}
