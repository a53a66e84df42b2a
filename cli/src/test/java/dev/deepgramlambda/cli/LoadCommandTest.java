package dev.deepgramlambda.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepgramlambda.cli.stack.Deployment;
import dev.deepgramlambda.standin.FakeDeepgram;
import dev.deepgramlambda.standin.MotoServer;
import dev.deepgramlambda.testing.TestAws;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The load test against a stack created in moto_server through CloudFormation, with the real
 * TranscribeFunction behind it ({@link S3TriggeredFunction} plays S3's trigger, Lambda's failure
 * destination and log shipping), and against this machine ({@code --local}). FakeDeepgram stands
 * in for Deepgram; scripted answers make some uploads hit a rate limit, fail permanently or fail
 * transiently.
 */
class LoadCommandTest {
    private static final String TRANSCRIPT = "deepgram/listen-nova3-smartformat-file-preamble.json";
    private FakeDeepgram deepgram;

    @BeforeEach
    void startDeepgram() {
        deepgram = new FakeDeepgram();
    }

    @AfterEach
    void stopDeepgram() {
        deepgram.close();
    }

    private static MockResponse ok() {
        return FakeDeepgram.fixture(200, TRANSCRIPT);
    }

    private static MockResponse status(int code) {
        return FakeDeepgram.json(code, "{\"err_code\":\"E" + code + "\",\"err_msg\":\"scripted " + code + "\",\"request_id\":\"r" + code + "\"}");
    }

    private static String field(String out, String label) {
        Matcher matcher = Pattern.compile("(?m)^  " + Pattern.quote(label) + "\\s+(.*)$").matcher(out);
        assertTrue(matcher.find(), label + " in " + out);
        return matcher.group(1);
    }

    @Test
    void givenADeployedStack_whenLoadTested_thenItReportsOutcomesRateLimitsAndWhereFailuresEndedUp() {
        MotoStack stack = MotoStack.create("load-mixed", "http://127.0.0.1:9/health", Set.of());
        // six uploads one at a time, so Deepgram's answers meet them in order: the third is rate-limited
        // once, the fourth is rejected (a permanent failure), the sixth meets a 503 on both attempts
        deepgram.enqueue(ok()).enqueue(ok()).enqueue(status(429)).enqueue(ok()).enqueue(status(400)).enqueue(ok())
                .enqueue(status(503)).enqueue(status(503));
        CliRun run;
        try (S3TriggeredFunction function = new S3TriggeredFunction(stack.name(), deepgram).trigger(stack)) {
            // through the function's front, where its EMF lines are CloudWatch metrics
            List<String> args = new ArrayList<>(List.of("load", "--stack-name", stack.name(), "--region", MotoServer.REGION,
                    "--endpoint-url", function.endpoint().toString()));
            args.addAll(List.of("--count", "6", "--concurrency", "1", "--timeout", "20", "--poll-interval", "100"));
            run = CliRun.of(Map.of(), args.toArray(String[]::new));
        }

        assertEquals(1, run.status(), run.toString());
        assertTrue(run.out().contains("[##############################] 6/6"), "final progress bar: " + run.out());
        assertEquals("6 of 6", field(run.out(), "uploads"));
        assertEquals("4", field(run.out(), "transcripts"));
        assertEquals("1", field(run.out(), "error records (.error.json)"));
        assertEquals("1", field(run.out(), "in the failure queue"));
        assertTrue(field(run.out(), "rate-limit hits").startsWith("1 (RateLimitHits in the EMF lines of /aws/lambda/"), run.out());
        assertTrue(field(run.out(), "latency").matches("p50 \\d+\\.\\d s  p95 \\d+\\.\\d s  p99 \\d+\\.\\d s  max \\d+\\.\\d s  \\(upload done to transcript seen, n=4\\)"),
                run.out());
        assertTrue(field(run.out(), "throughput").matches("\\d+\\.\\d\\d transcripts/s \\(4 in .*"), run.out());
        assertTrue(field(run.out(), "failure-queue messages").startsWith("1 (on-failure records of this test's uploads in "), run.out());
        // the permanent failure and the one Lambda gave up on; sync delivery: nothing submitted or queued, no sweep
        assertTrue(field(run.out(), "transcriptions by status").startsWith("submitted 0, queued 0, success 4, failure 2 (Transcriptions, "
                + "CloudWatch DeepgramTranscription, Service=load-mixed, "), run.out());
        assertTrue(field(run.out(), "peak in-flight jobs").startsWith("not reported (InFlightJobs is CallbackSweepFunction's gauge"), run.out());
        assertTrue(run.out().contains("00004.wav\n      error records (.error.json): s3://") && run.out().contains("deepgram-rejected"), run.out());
        assertTrue(run.out().contains("00006.wav\n      in the failure queue: RetriesExhausted: "), run.out());
        try (TestAws aws = new TestAws(MotoServer.shared().endpoint())) {
            List<String> left = aws.s3().listObjectsV2(r -> r.bucket(stack.bucket()).prefix("incoming/")).contents().stream()
                    .map(o -> o.key().substring(o.key().lastIndexOf('/') + 1)).toList();
            assertEquals(List.of("00004.wav", "00006.wav"), left, "the transcribed uploads are removed, the failed ones kept");
        }
    }

    @Test
    void givenAStackWithoutAFailureQueueOutput_whenLoadTested_thenItStopsNamingTheMissingOutput() {
        MotoStack stack = MotoStack.create("load-no-queue", "http://127.0.0.1:9/health", Set.of(Deployment.FAILURE_QUEUE_URL));
        List<String> args = new ArrayList<>(List.of("load"));
        args.addAll(List.of(stack.stackArguments()));

        CliRun run = CliRun.of(Map.of(), args.toArray(String[]::new));

        assertEquals(1, run.status(), run.toString());
        assertTrue(run.err().contains("has no output FailureQueueUrl"), run.err());
    }

    @Test
    void givenThisMachine_whenLoadTestedLocally_thenEveryUploadRunsThroughTheLocalLambdaEnvironments() {
        // four environments starting side by side: each must load the client's native library without
        // tripping over the others (the client's own unpacking shares one /tmp path)
        deepgram.enqueue(status(429));

        CliRun run = CliRun.of(Map.of("DEEPGRAM_BASE_URL", deepgram.baseUrl(), "DEEPGRAM_API_KEY", FakeDeepgram.VALID_KEY,
                "DEEPGRAM_BACKOFF_BASE_MILLIS", "10"), "load", "--local", "--count", "6", "--concurrency", "4");

        assertEquals(0, run.status(), run.toString());
        assertTrue(run.out().contains("init       4 environments ready"), run.out());
        assertEquals("6", field(run.out(), "transcripts"));
        assertTrue(field(run.out(), "rate-limit hits").startsWith("1 (RateLimitHits in the function's EMF lines; retries: 1)"), run.out());
        assertEquals(7, deepgram.requests().stream().filter(r -> r.getUrl().encodedPath().equals("/v1/listen")).count(),
                "six transcriptions and one retry reached Deepgram");
    }

    @Test
    void givenCallbackDeliveryAndALimitOfTwo_whenLoadTestedLocally_thenEveryUploadIsTranscribedAndTheBurstFiguresAreReported() {
        // more uploads in flight than slots: some wait in the admission queue until the sweep admits them
        deepgram.processingTime(Duration.ofMillis(300)).concurrencyLimit(2);

        CliRun run = CliRun.of(Map.of("DEEPGRAM_BASE_URL", deepgram.baseUrl(), "DEEPGRAM_API_KEY", FakeDeepgram.VALID_KEY),
                "load", "--local", "--count", "6", "--concurrency", "3", "--env", "DELIVERY=callback", "--env", "DEEPGRAM_MAX_CONCURRENCY=2");

        assertEquals(0, run.status(), run.toString());
        assertEquals("6 of 6", field(run.out(), "uploads"));
        assertEquals("6", field(run.out(), "transcripts"));
        assertTrue(run.out().contains("  callbacks  6 completions, "), "every result went to the completion: " + run.out());
        assertEquals(6, deepgram.callbackDeliveries().stream().filter(d -> d.status() == 200).count(), "the stand-in PUT six results");
        int peak = Integer.parseInt(field(run.out(), "peak in-flight jobs").split(" ")[0]);
        assertTrue(peak >= 1 && peak <= 2, "InFlightJobs as the sweep reported it, never above the limit: " + run.out());
        assertTrue(deepgram.peakJobsInFlight() <= 2, "Deepgram never saw more than the limit: " + deepgram.peakJobsInFlight());
        assertTrue(field(run.out(), "rate-limit hits").startsWith(deepgram.rateLimitedCount() + " (RateLimitHits"), run.out());
        assertTrue(field(run.out(), "failure-queue messages").startsWith("0 "), run.out());
        assertTrue(field(run.out(), "transcriptions by status").matches("submitted \\d+, queued [1-9]\\d*, success 6, failure 0 \\(Transcriptions, .*"),
                "with 3 in flight and 2 slots some uploads queued: " + run.out());
        assertTrue(field(run.out(), "admission wait p95").matches("\\d+\\.\\d s \\(AdmissionWaitSeconds.*"), run.out());
    }

    @Test
    void givenBadArguments_whenLoadIsRun_thenItExitsWith2AndSaysWhatIsWrong() {
        CliRun neither = CliRun.of(Map.of(), "load");
        CliRun both = CliRun.of(Map.of(), "load", "--local", "--stack-name", "x");
        CliRun zero = CliRun.of(Map.of(), "load", "--local", "--concurrency", "0");
        CliRun localOnly = CliRun.of(Map.of(), "load", "--stack-name", "x", "--stand-in");
        CliRun twoKeys = CliRun.of(Map.of(), "load", "--local", "--stand-in", "--secret-id", "s");
        CliRun timeout = CliRun.of(Map.of(), "load", "--local", "--timeout", "1000");

        assertEquals(2, neither.status());
        assertTrue(neither.err().contains("Missing required argument (specify one of these): ((--stack-name=NAME"), neither.err());
        assertEquals(2, both.status());
        assertTrue(both.err().contains("are mutually exclusive (specify only one)"), both.err());
        assertEquals(2, zero.status());
        assertTrue(zero.err().contains("--concurrency must be between 1 and 1000, got 0"), zero.err());
        assertEquals(2, localOnly.status());
        assertTrue(localOnly.err().contains("Missing required argument(s): --local"), localOnly.err());
        assertEquals(2, twoKeys.status());
        assertTrue(twoKeys.err().contains("--secret-id=s cannot be combined with --local --stand-in"), twoKeys.err());
        assertEquals(2, timeout.status());
        assertTrue(timeout.err().contains("--timeout must be between 1 and 900, got 1000"), timeout.err());
    }
}
