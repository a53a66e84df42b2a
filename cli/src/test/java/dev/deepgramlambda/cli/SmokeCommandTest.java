package dev.deepgramlambda.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepgramlambda.cli.stack.Deployment;
import dev.deepgramlambda.standin.FakeDeepgram;
import dev.deepgramlambda.standin.MotoServer;
import dev.deepgramlambda.testing.TestAws;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The smoke test against stacks created in moto_server through CloudFormation. Behind each stack the
 * real TranscribeFunction runs under the local Lambda runtime, S3's trigger played by
 * {@link S3TriggeredFunction}; FakeDeepgram stands in for Deepgram and a MockWebServer for the health
 * Function URL.
 */
class SmokeCommandTest {
    private static final AtomicInteger STACKS = new AtomicInteger();
    private static final String PREAMBLE = "We, the people of The United States";

    private static FakeDeepgram deepgram;
    private static S3TriggeredFunction function;
    private static TestAws aws;
    private MockWebServer healthEndpoint;

    @BeforeAll
    static void deploy() {
        deepgram = new FakeDeepgram();
        function = new S3TriggeredFunction("smoke-tests", deepgram);
        aws = new TestAws(MotoServer.shared().endpoint());
    }

    @AfterAll
    static void undeploy() {
        function.close();
        deepgram.close();
        aws.close();
    }

    @AfterEach
    void stopHealthEndpoint() {
        if (healthEndpoint != null) {
            healthEndpoint.close();
        }
    }

    private String healthUrl(Dispatcher answers) throws IOException {
        healthEndpoint = new MockWebServer();
        healthEndpoint.setDispatcher(answers);
        healthEndpoint.start();
        return healthEndpoint.url("/health").toString();
    }

    private static Dispatcher always(int status, String body) {
        return new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json").body(body).build();
            }
        };
    }

    private static MotoStack stack(String healthUrl, Set<String> omittedOutputs) {
        return MotoStack.create("smoke-" + STACKS.incrementAndGet(), healthUrl, omittedOutputs);
    }

    private static CliRun smoke(MotoStack stack, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("smoke"));
        args.addAll(List.of(stack.stackArguments()));
        args.addAll(List.of("--poll-interval", "100"));
        args.addAll(List.of(more));
        return CliRun.of(Map.of(), args.toArray(String[]::new));
    }

    @Test
    void givenAHealthyStack_whenSmokeTested_thenItPassesWithTheTranscriptAndRemovesTheSample() throws IOException {
        MotoStack stack = stack(healthUrl(always(200, "{\"status\":\"healthy\",\"latencyMs\":120}")), Set.of());
        function.trigger(stack);

        CliRun run = smoke(stack, "--timeout", "30");

        assertEquals(0, run.status(), run.toString());
        assertTrue(run.out().contains("PASS  stack outputs"), run.out());
        assertTrue(run.out().contains("PASS  transcript    arrived after"), run.out());
        assertTrue(run.out().contains(PREAMBLE), "the transcript the function wrote is shown: " + run.out());
        assertTrue(run.out().contains("PASS  health        200 in"), run.out());
        assertTrue(run.out().contains("RESULT: PASS (3 checks)"), run.out());
        assertTrue(aws.s3().listObjectsV2(r -> r.bucket(stack.bucket())).contents().isEmpty(), "sample and outputs removed");
    }

    @Test
    void givenAStackWithoutAHealthUrlOutput_whenSmokeTested_thenItFailsNamingTheMissingOutput() throws IOException {
        MotoStack stack = stack(healthUrl(always(200, "{}")), Set.of(Deployment.HEALTH_URL));

        CliRun run = smoke(stack);

        assertEquals(1, run.status(), run.toString());
        assertTrue(run.out().contains("FAIL  stack outputs") && run.out().contains("has no output HealthUrl"), run.out());
        assertTrue(run.out().contains("RESULT: FAIL (1 of 1 checks failed)"), run.out());
        assertTrue(aws.s3().listObjectsV2(r -> r.bucket(stack.bucket())).contents().isEmpty(), "nothing uploaded");
    }

    @Test
    void givenNoStackOfThatName_whenSmokeTested_thenItFailsSayingSo() {
        CliRun run = CliRun.of(Map.of(), "smoke", "--stack-name", "never-deployed", "--region", MotoServer.REGION,
                "--endpoint-url", MotoServer.shared().endpoint().toString());

        assertEquals(1, run.status(), run.toString());
        assertTrue(run.out().contains("stack 'never-deployed' not found"), run.out());
    }

    @Test
    void givenAStackWhoseFunctionNeverAnswers_whenSmokeTested_thenTheTranscriptCheckFailsAfterTheTimeout() throws IOException {
        MotoStack stack = stack(healthUrl(always(200, "{\"status\":\"healthy\"}")), Set.of());
        // not triggered: uploads to this stack reach no function

        CliRun run = smoke(stack, "--timeout", "2");

        assertEquals(1, run.status(), run.toString());
        assertTrue(run.out().contains("FAIL  transcript    neither a transcript nor an error record within 2 s"), run.out());
        assertTrue(run.out().contains("nothing in the failure queue for it yet"), run.out());
        assertTrue(run.out().contains("PASS  health"), run.out());
        assertTrue(run.out().contains("RESULT: FAIL (1 of 3 checks failed)"), run.out());
        assertEquals(1, aws.s3().listObjectsV2(r -> r.bucket(stack.bucket()).prefix("incoming/smoke-test/")).keyCount(),
                "the sample is kept for investigation");
    }

    @Test
    void givenAnUnhealthyHealthEndpoint_whenSmokeTested_thenTheHealthCheckFailsWithIts503() throws IOException {
        MotoStack stack = stack(healthUrl(always(503, "{\"status\":\"unhealthy\",\"reason\":\"deepgram 401\"}")), Set.of());
        function.trigger(stack);

        CliRun run = smoke(stack, "--timeout", "30");

        assertEquals(1, run.status(), run.toString());
        assertTrue(run.out().contains("PASS  transcript"), run.out());
        assertTrue(run.out().contains("FAIL  health        503 in"), run.out());
        assertTrue(run.out().contains("{\"status\":\"unhealthy\",\"reason\":\"deepgram 401\"}"), run.out());
        assertTrue(run.out().contains("RESULT: FAIL (1 of 3 checks failed)"), run.out());
    }

    @Test
    void givenDeepgramRejectsTheSample_whenSmokeTested_thenTheTranscriptCheckFailsWithTheErrorRecord() throws IOException {
        MotoStack stack = stack(healthUrl(always(200, "{}")), Set.of());
        function.trigger(stack);
        deepgram.enqueue(FakeDeepgram.fixture(400, "deepgram/error-400-corrupt-or-unsupported-audio.docs-example.json"));

        CliRun run = smoke(stack, "--timeout", "30");

        assertEquals(1, run.status(), run.toString());
        assertTrue(run.out().contains("FAIL  transcript    the function wrote an error record after"), run.out());
        assertTrue(run.out().contains(".error.json") && run.out().contains("(HTTP 400)"), run.out());
    }

    @Test
    void givenAHealthUrlWithIamAuth_whenSmokeTested_thenTheRequestIsSigV4SignedForLambda() throws IOException {
        MotoStack stack = stack(healthUrl(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String auth = String.valueOf(request.getHeaders().get("Authorization"));
                boolean signed = auth.startsWith("AWS4-HMAC-SHA256 Credential=" + MotoServer.ACCESS_KEY + "/")
                        && auth.contains("/" + MotoServer.REGION + "/lambda/aws4_request") && request.getHeaders().get("X-Amz-Date") != null;
                return new MockResponse.Builder().code(signed ? 200 : 403).body(signed ? "{\"status\":\"healthy\"}" : "{\"Message\":\"Forbidden\"}").build();
            }
        }), Set.of());
        function.trigger(stack);

        CliRun run = smoke(stack, "--timeout", "30");

        assertEquals(0, run.status(), run.toString());
        assertTrue(run.out().contains("PASS  health        200 in") && run.out().contains("(SigV4-signed)"), run.out());
    }

    @Test
    void givenBadArguments_whenSmokeIsRun_thenItExitsWith2AndSaysWhatIsWrong() {
        CliRun noStack = CliRun.of(Map.of(), "smoke");
        CliRun badTimeout = CliRun.of(Map.of(), "smoke", "--stack-name", "x", "--timeout", "soon");
        CliRun unknown = CliRun.of(Map.of(), "smoke", "--stack-name", "x", "--stack", "x");

        assertEquals(2, noStack.status());
        assertTrue(noStack.err().contains("Missing required option: '--stack-name=NAME'"), noStack.err());
        assertEquals(2, badTimeout.status());
        assertTrue(badTimeout.err().contains("Invalid value for option '--timeout': 'soon' is not an int"), badTimeout.err());
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().contains("Unknown options: '--stack', 'x'") && unknown.err().contains("--stack-name"), unknown.err());
        assertFalse(noStack.out().contains("RESULT"));
    }

    @Test
    void givenHelp_whenAsked_thenSmokePrintsItsOptionsAndTheOutputsItReads() {
        CliRun help = CliRun.of(Map.of(), "smoke", "--help");

        assertEquals(0, help.status());
        for (String expected : List.of("Usage: deepgram-lambda smoke [OPTIONS]", "--stack-name=NAME", "--timeout=SECONDS",
                Deployment.AUDIO_BUCKET_NAME, Deployment.HEALTH_URL)) {
            assertTrue(help.out().contains(expected), expected + " in " + help.out());
        }
    }
}
