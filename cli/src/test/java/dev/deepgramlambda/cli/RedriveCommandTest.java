package dev.deepgramlambda.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepgramlambda.cli.aws.AwsTarget;
import dev.deepgramlambda.cli.aws.FailureQueue;
import dev.deepgramlambda.cli.aws.FailureRecord;
import dev.deepgramlambda.standin.S3Notification;
import dev.deepgramlambda.cli.aws.TranscriptStore;
import dev.deepgramlambda.cli.stack.Deployment;
import dev.deepgramlambda.standin.FakeDeepgram;
import dev.deepgramlambda.testing.Fixtures;
import dev.deepgramlambda.standin.MotoServer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * redrive against a stack in moto_server whose TranscribeFunction is the real function under the
 * local Lambda runtime ({@link S3TriggeredFunction}): uploads fail for real while the Deepgram secret
 * is missing, Lambda's on-failure records land in the stack's failure queue, and once the secret is
 * back, {@code redrive --apply} turns them into transcripts. Lambda's asynchronous Invoke, which moto
 * can only run in Docker, is played by {@link MotoFront}: 202, then the real function on another thread.
 */
class RedriveCommandTest {
    private static final AtomicInteger STACKS = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOCS_RECORD = "redrive/invocation-record-retries-exhausted.aws-docs.json";

    private static FakeDeepgram deepgram;
    private static S3TriggeredFunction function;
    private static final AwsTarget AWS = AwsTarget.emulator(MotoServer.shared().endpoint());

    @BeforeAll
    static void deploy() {
        deepgram = new FakeDeepgram();
        function = new S3TriggeredFunction("redrive-tests", deepgram);
    }

    @AfterAll
    static void undeploy() {
        function.close();
        deepgram.close();
    }

    private static CliRun redrive(MotoFront front, MotoStack stack, String... more) {
        List<String> args = new ArrayList<>(List.of("redrive", "--stack-name", stack.name(), "--region", MotoServer.REGION,
                "--endpoint-url", front.endpoint().toString()));
        args.addAll(List.of(more));
        return CliRun.of(Map.of(), args.toArray(String[]::new));
    }

    /** What Lambda was asked to invoke, as NAME or NAME:QUALIFIER, in order. */
    private static final List<String> INVOKED = new java.util.concurrent.CopyOnWriteArrayList<>();

    private static MotoFront frontOf(MotoStack stack) {
        return new MotoFront((name, event) -> {
            INVOKED.add(name);
            function.invokeAsync(stack, event);
        });
    }

    private static int depth(MotoStack stack) {
        try (SqsClient sqs = AWS.client(SqsClient.builder())) {
            return new FailureQueue(sqs, stack.failureQueueUrl()).depth();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void givenUploadsThatFailedWhileTheSecretWasGone_whenRedriven_thenADryRunChangesNothingAndApplyTranscribesThem() throws Exception {
        MotoStack stack = MotoStack.create("redrive-" + STACKS.incrementAndGet(), "http://127.0.0.1:9/health", Set.of());
        try (SecretsManagerClient secrets = AWS.client(SecretsManagerClient.builder()); S3Client s3 = AWS.s3();
             MotoFront front = frontOf(stack)) {
            // The cause: the Deepgram secret is gone, so every upload fails and Lambda gives up on it.
            secrets.deleteSecret(r -> r.secretId(S3TriggeredFunction.SECRET).forceDeleteWithoutRecovery(true));
            function.trigger(stack);
            RequestBody audio = Audio.bundledSample().body();
            for (String key : List.of("incoming/meeting one.wav", "incoming/deleted-later.wav")) {
                s3.putObject(r -> r.bucket(stack.bucket()).key(key).contentType("audio/wav"), audio);
            }
            await("two on-failure records", () -> depth(stack) == 2);
            s3.deleteObject(r -> r.bucket(stack.bucket()).key("incoming/deleted-later.wav"));
            // The cause is fixed.
            secrets.createSecret(r -> r.name(S3TriggeredFunction.SECRET).secretString("{\"apiKey\":\"" + FakeDeepgram.VALID_KEY + "\"}"));
            TranscriptStore transcripts = new TranscriptStore(s3, stack.bucket(), "transcripts/");

            CliRun dryRun = redrive(front, stack);

            assertEquals(0, dryRun.status(), dryRun.toString());
            assertTrue(dryRun.out().contains("WOULD     s3://" + stack.bucket() + "/incoming/meeting one.wav failed "), dryRun.out());
            assertTrue(dryRun.out().contains("RetriesExhausted: ") && dryRun.out().contains("SecretUnavailableException"), dryRun.out());
            assertTrue(dryRun.out().contains("GONE      s3://" + stack.bucket() + "/incoming/deleted-later.wav")
                    && dryRun.out().contains("(deleted since): not replayed; the message stays"), dryRun.out());
            assertTrue(dryRun.out().contains("[1/2] ") && dryRun.out().contains("[2/2] "), "a progress count: " + dryRun.out());
            assertTrue(dryRun.out().contains("Dry run: nothing was sent or deleted"), dryRun.out());
            assertEquals(2, depth(stack), "a dry run leaves the queue as it was");
            assertTrue(transcripts.outcome("incoming/meeting one.wav").isEmpty());

            CliRun apply = redrive(front, stack, "--apply");

            assertEquals(0, apply.status(), apply.toString());
            assertTrue(apply.out().contains("REPLAYED  s3://" + stack.bucket() + "/incoming/meeting one.wav")
                    && apply.out().contains(":" + Deployment.ALIAS + " accepted (202)"), apply.out());
            String functionName = Deployment.physicalId(AWS, stack.name(), Deployment.TRANSCRIBE_FUNCTION);
            assertEquals(List.of(functionName + ":" + Deployment.ALIAS), INVOKED,
                    "the replay goes to the alias S3 invokes (SnapStart), never to $LATEST");
            assertTrue(apply.out().contains("2 message(s): 1 replayed, 1 source deleted since, kept."), apply.out());
            await("the transcript", () -> transcripts.outcome("incoming/meeting one.wav").equals(java.util.Optional.of(TranscriptStore.Kind.TRANSCRIPT)));
            assertEquals(1, depth(stack), "only the deleted object's message stays");
        }
    }

    @Test
    void givenTheDocumentedRecordAndOneOfOurs_whenRedriven_thenTheUnknownOneIsKeptAndTheBoundsHold() throws IOException {
        MotoStack stack = MotoStack.create("redrive-" + STACKS.incrementAndGet(), "http://127.0.0.1:9/health", Set.of());
        String documented = Fixtures.text(DOCS_RECORD);
        try (SqsClient sqs = AWS.client(SqsClient.builder()); S3Client s3 = AWS.s3(); MotoFront front = frontOf(stack)) {
            s3.putObject(r -> r.bucket(stack.bucket()).key("incoming/old.wav"), RequestBody.fromString("RIFF"));
            s3.putObject(r -> r.bucket(stack.bucket()).key("incoming/new.wav"), RequestBody.fromString("RIFF"));
            for (String body : List.of(documented, ourRecord(documented, stack, "incoming/old.wav", "2019-11-14T18:16:05.568Z"),
                    ourRecord(documented, stack, "incoming/new.wav", Instant.now().toString()))) {
                sqs.sendMessage(r -> r.queueUrl(stack.failureQueueUrl()).messageBody(body));
            }

            CliRun olderThanADay = redrive(front, stack, "--older-than", "1d");
            CliRun one = redrive(front, stack, "--max", "1", "--older-than", "1d");

            assertEquals(1, olderThanADay.status(), "a message it cannot understand makes the run fail: " + olderThanADay);
            assertTrue(olderThanADay.out().contains("KEPT      message ")
                    && olderThanADay.out().contains("requestPayload is not an S3 event (no Records): not TranscribeFunction's"), olderThanADay.out());
            assertTrue(olderThanADay.out().contains("WOULD     s3://" + stack.bucket() + "/incoming/old.wav failed ")
                    && olderThanADay.out().contains("RetriesExhausted: Error: RequestId: e4b46cbf-b738-xmpl-8880-a18cdf61200e Process exited"),
                    olderThanADay.out());
            assertTrue(olderThanADay.out().contains("SKIPPED   s3://" + stack.bucket() + "/incoming/new.wav")
                    && olderThanADay.out().contains("(younger than --older-than)"), olderThanADay.out());
            assertEquals(1, one.out().lines().filter(l -> l.contains("WOULD ")).count(), "--max 1 bounds the run: " + one.out());
            assertEquals(3, depth(stack), "nothing left the queue");
        }
    }

    @Test
    void givenLambdaThrottlesTheReplay_whenRedrivenWithApply_thenTheMessageStaysAndTheRunFails() throws IOException {
        MotoStack stack = MotoStack.create("redrive-" + STACKS.incrementAndGet(), "http://127.0.0.1:9/health", Set.of());
        try (SqsClient sqs = AWS.client(SqsClient.builder()); S3Client s3 = AWS.s3(); MotoFront front = MotoFront.throttlingInvokes()) {
            for (String key : List.of("incoming/throttled-1.wav", "incoming/throttled-2.wav")) {
                s3.putObject(r -> r.bucket(stack.bucket()).key(key), RequestBody.fromString("RIFF"));
                String record = ourRecord(Fixtures.text(DOCS_RECORD), stack, key, Instant.now().toString());
                sqs.sendMessage(r -> r.queueUrl(stack.failureQueueUrl()).messageBody(record));
            }

            CliRun run = redrive(front, stack, "--apply");

            assertEquals(1, run.status(), run.toString());
            assertTrue(run.out().contains("REFUSED   s3://" + stack.bucket() + "/incoming/throttled-")
                    && run.out().contains("Rate Exceeded.") && run.out().contains("; kept"), run.out());
            assertTrue(run.out().contains("Stopping: Lambda refused an event; the remaining messages stay on the queue."), run.out());
            assertTrue(run.out().contains("1 message(s): 1 not accepted by Lambda, kept."), "the second is not tried: " + run.out());
            assertEquals(2, depth(stack), "a message is deleted only after Lambda accepted its event");
        }
    }

    @Test
    void givenTheDocumentedInvocationRecord_whenParsed_thenItIsNotOursButTheSameShapeWithAnS3EventIs() throws IOException {
        String documented = Fixtures.text(DOCS_RECORD);
        MotoStack stack = new MotoStack("docs", Map.of("AudioBucketName", "audio"), "/aws/lambda/docs");

        FailureRecord.Unreadable unknown = assertInstanceOf(FailureRecord.Unreadable.class, FailureRecord.parse(documented));
        FailureRecord.FailedUpload ours = assertInstanceOf(FailureRecord.FailedUpload.class,
                FailureRecord.parse(ourRecord(documented, stack, "incoming/a b+c.wav", "2019-11-14T18:16:05.568Z")));

        assertTrue(unknown.why().contains("not an S3 event"), unknown.why());
        assertEquals("s3://audio/incoming/a b+c.wav", ours.objects().get(0).toString(), "the key is decoded as S3 encodes it");
        assertEquals(Instant.parse("2019-11-14T18:16:05.568Z"), ours.failedAt().orElseThrow());
        assertEquals("RetriesExhausted: Error: RequestId: e4b46cbf-b738-xmpl-8880-a18cdf61200e Process exited before completing request",
                ours.reason());
        assertInstanceOf(FailureRecord.Unreadable.class, FailureRecord.parse("{\"Records\": []}"), "a bare event (dead-letter style)");
        assertInstanceOf(FailureRecord.Unreadable.class, FailureRecord.parse("not json"));
    }

    @Test
    void givenBadArguments_whenRedriven_thenItExitsWith2AndSaysWhatIsWrong() {
        MotoStack stack = new MotoStack("any", Map.of(), "/aws/lambda/any");
        try (MotoFront front = new MotoFront()) {
            CliRun age = redrive(front, stack, "--older-than", "soon");
            CliRun max = redrive(front, stack, "--max", "0");

            assertEquals(2, age.status());
            assertTrue(age.err().contains("'soon' is not a duration: use 90s, 30m, 2h, 1d or PT1H30M"), age.err());
            assertEquals(2, max.status());
            assertTrue(max.err().contains("--max must be at least 1, got 0"), max.err());
        }
    }

    /** The documented record, with an S3 event for {@code key} as TranscribeFunction's requestPayload. */
    private static String ourRecord(String documented, MotoStack stack, String key, String timestamp) throws IOException {
        ObjectNode record = (ObjectNode) JSON.readTree(documented);
        record.put("timestamp", timestamp);
        record.set("requestPayload", JSON.readTree(S3Notification.objectCreated().region(MotoServer.REGION)
                .time(Instant.parse(timestamp)).add(S3Notification.Upload.of(stack.bucket(), key, 4, "etag")).build().toJson()));
        return record.toString();
    }
}
