package dev.deepgramlambda.cli.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepgramlambda.standin.S3Notification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local execution environment drives a function exactly as Lambda does: a real child JVM, the
 * real runtime interface client, and this CLI's Runtime API over real HTTP on loopback. The function
 * is {@link ProbeHandler}, which reports what the runtime handed it.
 */
class ExecutionEnvironmentTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBE = "dev.deepgramlambda.cli.runtime.ProbeHandler::handleRequest";

    @TempDir
    static Path taskRoot;

    private static LambdaLayout layout;

    /** A task root like Lambda's /var/task: the probe's classes, and the function's jars in lib/. */
    @BeforeAll
    static void packageProbe() throws Exception {
        LambdaLayout built = LambdaLayout.locate(Optional.empty());
        Path classes = Path.of(ProbeHandler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path probeDir = taskRoot.resolve("dev/deepgramlambda/cli/runtime");
        Files.createDirectories(probeDir);
        try (var files = Files.list(classes.resolve("dev/deepgramlambda/cli/runtime"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("ProbeHandler")).toList()) {
                Files.copy(file, probeDir.resolve(file.getFileName()));
            }
        }
        Files.createSymbolicLink(taskRoot.resolve("lib"), built.taskRoot().resolve("lib").toAbsolutePath());
        layout = new LambdaLayout(built.runtimeDir(), taskRoot);
    }

    private static FunctionDefinition probe(String handler, Duration timeout) {
        return new FunctionDefinition("probe-function", handler, layout, 512, timeout,
                Map.of("AWS_REGION", "eu-west-1", "PROBE_SETTING", "from-the-definition"));
    }

    private static byte[] uploadOf(String key) {
        return S3Notification.objectCreated().region("eu-west-1")
                .add(S3Notification.Upload.of("audio-bucket", key, 1234, "\"9b2cf535f27731c974343645a3985328\"").withRequest("REQ123", "HOST456"))
                .build().toBytes();
    }

    @Test
    void givenAnS3Upload_whenInvoked_thenTheRuntimeDeserializesTheEventAndTheContextCarriesTheRuntimeApiHeaders() throws IOException {
        try (ExecutionEnvironment environment = ExecutionEnvironment.start(probe(PROBE, Duration.ofSeconds(30)), line -> { })) {
            assertTrue(environment.awaitInit().succeeded());

            InvocationResult result = environment.invoke(uploadOf("incoming/my talk+notes ü.wav"));

            assertTrue(result.succeeded(), result.body());
            JsonNode seen = JSON.readTree(result.body());
            assertEquals("incoming/my talk+notes ü.wav", seen.path("key").asText(), "key URL-decoded by the function");
            assertEquals("9b2cf535f27731c974343645a3985328", seen.path("eTag").asText());
            assertEquals(result.requestId(), seen.path("requestId").asText());
            assertEquals("arn:aws:lambda:eu-west-1:123456789012:function:probe-function", seen.path("functionArn").asText());
            long remaining = seen.path("remainingMillis").asLong();
            assertTrue(remaining > 20_000 && remaining <= 30_000, "deadline header honoured: " + remaining);
            assertEquals(512, seen.path("memoryMb").asInt());
            assertEquals("probe-function", seen.path("functionName").asText());
            assertFalse(seen.hasNonNull("inheritedHome"), "the function inherits nothing from the CLI's environment: " + seen);
            assertEquals("from-the-definition", seen.path("custom").asText());
            assertEquals("CustomerClassLoader", seen.path("classLoader").asText(), "handler loaded from the task root");
        }
    }

    @Test
    void givenAWarmEnvironment_whenInvokedTwice_thenOneJvmAnswersBothWithDistinctRequestIds() {
        try (ExecutionEnvironment environment = ExecutionEnvironment.start(probe(PROBE, Duration.ofSeconds(30)), line -> { })) {
            assertTrue(environment.awaitInit().succeeded());

            InvocationResult first = environment.invoke(uploadOf("incoming/a.wav"));
            InvocationResult second = environment.invoke(uploadOf("incoming/b.wav"));

            assertTrue(first.succeeded() && second.succeeded());
            assertNotEquals(first.requestId(), second.requestId());
            assertEquals(2, environment.output().stream().filter(l -> l.contains("probe invoked")).count());
        }
    }

    @Test
    void givenAHandlerThatThrows_whenInvoked_thenTheRuntimePostsTheErrorWithItsType() throws IOException {
        try (ExecutionEnvironment environment = ExecutionEnvironment.start(probe(PROBE, Duration.ofSeconds(30)), line -> { })) {
            environment.awaitInit();

            InvocationResult result = environment.invoke(uploadOf("fail"));

            assertEquals(InvocationResult.Status.ERROR, result.status());
            assertEquals("java.lang.IllegalStateException", JSON.readTree(result.body()).path("errorType").asText());
            assertEquals("probe failed as asked", JSON.readTree(result.body()).path("errorMessage").asText());
        }
    }

    @Test
    void givenAHandlerThatOverrunsItsTimeout_whenInvoked_thenTheInvocationTimesOutAndTheEnvironmentIsStopped() {
        try (ExecutionEnvironment environment = ExecutionEnvironment.start(probe(PROBE, Duration.ofSeconds(2)), line -> { })) {
            environment.awaitInit();

            InvocationResult result = environment.invoke(uploadOf("overrun"));

            assertEquals(InvocationResult.Status.TIMEOUT, result.status());
            assertEquals("Task timed out after 2.00 seconds", result.body());
        }
    }

    @Test
    void givenAHandlerThatExitsTheJvm_whenInvoked_thenTheResultIsARuntimeExitError() {
        try (ExecutionEnvironment environment = ExecutionEnvironment.start(probe(PROBE, Duration.ofSeconds(30)), line -> { })) {
            environment.awaitInit();

            InvocationResult result = environment.invoke(uploadOf("exit"));

            assertEquals("Runtime.ExitError", result.errorType());
            assertEquals("Runtime exited with error: exit status 3", result.body());
        }
    }

    @Test
    void givenAFunctionWhoseConstructorFails_whenStarted_thenTheRuntimeReportsAnInitError() throws IOException {
        String broken = "dev.deepgramlambda.cli.runtime.ProbeHandler$BrokenAtInit::handleRequest";
        try (ExecutionEnvironment environment = ExecutionEnvironment.start(probe(broken, Duration.ofSeconds(30)), line -> { })) {
            ExecutionEnvironment.InitReport init = environment.awaitInit();

            assertTrue(init.error().isPresent());
            JsonNode error = JSON.readTree(init.error().get());
            assertTrue(error.path("errorMessage").asText().contains("DEEPGRAM_SECRET_ID is required"), error.toString());
        }
    }
}
