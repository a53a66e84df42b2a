package dev.deepgramlambda.transcribe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import dev.deepgramlambda.aws.AwsClientSettings;
import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.deepgram.ListenResponse;
import dev.deepgramlambda.outputs.OutputNames;
import dev.deepgramlambda.standin.FakeDeepgram;
import dev.deepgramlambda.standin.MotoServer;
import dev.deepgramlambda.standin.S3Notification;
import dev.deepgramlambda.testing.FaultyAwsProxy;
import dev.deepgramlambda.testing.Fixtures;
import dev.deepgramlambda.testing.LoopbackServer;
import dev.deepgramlambda.testing.S3Events;
import dev.deepgramlambda.testing.StdoutCapture;
import dev.deepgramlambda.testing.TestContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10's fault suite: TranscribeFunction driven as Lambda drives it (events through the
 * runtime's serializer, warm containers, a re-invocation with the same request id when it throws,
 * up to the template's {@code MaximumRetryAttempts}, then the failure destination), under Deepgram
 * and AWS faults. Every scenario counts outcomes against uploads:
 *
 * <ul>
 *   <li>lost: an upload with no transcript, no error record, no failure-queue message and no entry in
 *       the admission queue (where uploads wait durably when Deepgram's 429s outlast the attempts);</li>
 *   <li>double-billed: Deepgram requests for an upload after one it answered 2xx (a paid answer);</li>
 *   <li>leaks: the API key, a presigned URL's signature or transcript text in the captured logs.</li>
 * </ul>
 *
 * Each scenario prints a {@code MEASURED} line (stderr and {@code target/fault-suite.txt});
 * {@code docs/reliability.md} quotes them.
 */
class FaultSuiteTest {
    private static final String KEY = "dg-fault-suite-key-7f3a";
    private static final byte[] AUDIO = Fixtures.bytes("audio/hello-en.wav");
    private static final String TRANSCRIPT = Fixtures.text("deepgram/listen-nova3-smartformat-file-preamble.json");
    /** A phrase of the fixture's transcript: it must never reach a log. */
    private static final String TRANSCRIPT_TEXT = "more perfect union";
    /** Scaled down from Lambda's minute or two: still longer than the circuit's open period, as in production. */
    private static final Duration LAMBDA_RETRY_DELAY = Duration.ofMillis(1200);
    private static final List<String> MEASURED = new CopyOnWriteArrayList<>();
    private static final int[] TOTALS = new int[8];

    @RegisterExtension
    final FunctionHarness function = new FunctionHarness();
    private final ScriptedDeepgram deepgram = new ScriptedDeepgram();
    private final List<S3Event> failureDestination = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        deepgram.close();
    }

    @AfterAll
    static void writeTotals() throws IOException {
        String total = String.format("MEASURED fault-suite TOTAL scenarios=%d uploads=%d transcripts=%d errorRecords=%d "
                        + "failureQueue=%d admissionQueue=%d lost=%d doubleBilled=%d leaks=%d", MEASURED.size(), TOTALS[0], TOTALS[1],
                TOTALS[2], TOTALS[3], TOTALS[7], TOTALS[4], TOTALS[5], TOTALS[6]);
        MEASURED.add(total);
        System.err.println(total);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/fault-suite.txt"), String.join("\n", MEASURED) + "\n");
    }

    @Test
    void baseline() {
        Tally tally = run("baseline", 10, 1, 1, i -> deepgram.transcript());
        tally.assertEveryUploadAccountedFor(10, 0, 0);
    }

    @Test
    void rateLimitStorm() {
        // The first 15 requests are 429s, as when the project's concurrency is exhausted.
        Tally tally = run("429-storm", 10, 1, 2, i -> i < 15
                ? FakeResponses.rateLimited() : deepgram.transcript());
        tally.assertNothingLostOrPaidTwice();
    }

    @Test
    void serverErrors() {
        Tally tally = run("5xx", 10, 1, 2, i -> i % 2 == 0 && i < 20 ? FakeResponses.status(503) : deepgram.transcript());
        tally.assertNothingLostOrPaidTwice();
    }

    @Test
    void timeouts() {
        // Deepgram takes longer than DEEPGRAM_TIMEOUT_SECONDS (2 s) and then fails: no paid answer arrives.
        Tally tally = run("timeouts", 6, 1, 2, i -> i < 3
                ? new MockResponse.Builder().headersDelay(3, TimeUnit.SECONDS).code(504).body("{}").build()
                : deepgram.transcript());
        tally.assertNothingLostOrPaidTwice();
    }

    @Test
    void connectionResets() {
        Tally tally = run("resets", 8, 1, 2, i -> i < 4
                ? new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build() : deepgram.transcript());
        tally.assertNothingLostOrPaidTwice();
    }

    @Test
    void slowAnswers() {
        Tally tally = run("slow", 6, 1, 3, i -> new MockResponse.Builder().headersDelay(1200, TimeUnit.MILLISECONDS)
                .code(200).body(TRANSCRIPT).build());
        tally.assertEveryUploadAccountedFor(6, 0, 0);
    }

    @Test
    void malformedAndHugeBodies() {
        Buffer hugeError = new Buffer().writeUtf8("<html>").write(new byte[8 << 20]);
        Tally tally = run("malformed-huge", 8, 1, 1, i -> switch (i) {
            case 0 -> new MockResponse.Builder().code(200).body("{\"metadata\": {\"request_id\": ").build();
            case 1 -> new MockResponse.Builder().code(200).body(new PaddedAnswer(ListenResponse.MAX_BYTES + 1)).build();
            case 2 -> new MockResponse.Builder().code(502).body(hugeError.clone()).build();
            default -> deepgram.transcript();
        });
        tally.assertNothingLostOrPaidTwice();
        assertEquals(2, tally.errorRecords, "the garbled and the oversized answers end as error records, not retries");
    }

    @Test
    void secretsManagerOutage() {
        try (FaultyAwsProxy aws = new FaultyAwsProxy(MotoServer.shared().endpoint())) {
            function.with("AWS_ENDPOINT_URL", aws.environment().get("AWS_ENDPOINT_URL"));
            aws.fail("GetSecretValue");
            Tally during = run("secrets-manager-outage", 4, 1, 1, i -> deepgram.transcript());
            during.assertNothingLostOrPaidTwice();
            assertEquals(4, during.failureQueue, "no key, no call: every upload waits in the failure queue");
            assertEquals(0, deepgram.ledger.size());
        }
    }

    @Test
    void s3Faults() {
        try (FaultyAwsProxy aws = new FaultyAwsProxy(MotoServer.shared().endpoint())) {
            function.with("AWS_ENDPOINT_URL", aws.environment().get("AWS_ENDPOINT_URL"));
            // A HEAD outage before Deepgram is called, and PUTs failing briefly after it answered.
            aws.failNext("HeadObject", 6);
            aws.failNext("PutObject", 3);
            Tally tally = run("s3-errors", 6, 1, 1, i -> deepgram.transcript());
            tally.assertNothingLostOrPaidTwice();
            assertTrue(aws.injectedFaults("HeadObject") + aws.injectedFaults("PutObject") > 0);
        }
    }

    @Test
    void burstWithDuplicateAndConcurrentDeliveries() {
        // Every upload is delivered twice, at the same moment, to different warm containers.
        Tally tally = run("burst-duplicates", 20, 2, 4, i -> new MockResponse.Builder().headersDelay(200, TimeUnit.MILLISECONDS)
                .code(200).body(TRANSCRIPT).build());
        tally.assertEveryUploadAccountedFor(20, 0, 0);
        assertEquals(20, deepgram.ledger.size(), "one Deepgram request per upload, however often S3 delivered it");
    }

    /**
     * Uploads {@code uploads} files, delivers each {@code deliveries} times to {@code containers}
     * warm containers running in parallel, re-invokes what threw (same request id) after
     * {@link #LAMBDA_RETRY_DELAY} up to the template's limit, then sends it to the failure destination.
     */
    private Tally run(String scenario, int uploads, int deliveries, int containers, IntFunction<MockResponse> script) {
        deepgram.script = script;
        function.with("DEEPGRAM_BASE_URL", deepgram.baseUrl())
                .with("DEEPGRAM_TIMEOUT_SECONDS", "2")
                .with("CIRCUIT_BREAKER_OPEN_SECONDS", "1");
        function.aws.putSecret(FunctionHarness.SECRET, KEY);
        List<S3Notification.Upload> uploaded = new ArrayList<>();
        for (int i = 0; i < uploads; i++) {
            uploaded.add(function.upload("incoming/" + scenario + "/call-" + i + ".wav", AUDIO));
        }
        List<Delivery> pending = new ArrayList<>();
        for (int d = 0; d < deliveries; d++) {
            for (S3Notification.Upload upload : uploaded) {
                pending.add(new Delivery(upload, UUID.randomUUID().toString()));
            }
        }
        long started = System.nanoTime();
        String logs;
        try (StdoutCapture stdout = new StdoutCapture()) {
            List<TranscribeHandler> warm = new ArrayList<>();
            for (int c = 0; c < containers; c++) {
                warm.add(function.coldStart());
            }
            for (int attempt = 0; attempt <= maximumRetryAttempts() && !pending.isEmpty(); attempt++) {
                if (attempt > 0) {
                    sleep(LAMBDA_RETRY_DELAY);
                }
                pending = invokeAll(warm, pending);
            }
            for (Delivery failed : pending) {
                failureDestination.add(failed.event());
            }
            logs = stdout.text();
        }
        Tally tally = count(uploaded, logs);
        String line = String.format("MEASURED fault-suite scenario=%s uploads=%d deliveries=%d transcripts=%d errorRecords=%d "
                        + "failureQueue=%d admissionQueue=%d lost=%d doubleBilled=%d leaks=%d deepgramRequests=%d seconds=%.1f",
                scenario, uploads, uploads * deliveries, tally.transcripts, tally.errorRecords, tally.failureQueue,
                tally.admissionQueue, tally.lost, tally.doubleBilled, tally.leaks, deepgram.ledger.size(),
                (System.nanoTime() - started) / 1e9);
        MEASURED.add(line);
        System.err.println(line);
        int[] add = {uploads, tally.transcripts, tally.errorRecords, tally.failureQueue, tally.lost, tally.doubleBilled, tally.leaks,
                tally.admissionQueue};
        for (int i = 0; i < add.length; i++) {
            TOTALS[i] += add[i];
        }
        assertTrue(logs.contains("\"outcome\""), "the leak check read the function's record logs");
        assertEquals(0, tally.leaks, "secrets, signatures or transcript text in the logs");
        return tally;
    }

    private record Delivery(S3Notification.Upload upload, String requestId) {
        S3Event event() {
            return S3Events.objectCreated(upload);
        }
    }

    /** One round of invocations across the warm containers, each container one at a time; returns the ones that threw. */
    private List<Delivery> invokeAll(List<TranscribeHandler> containers, List<Delivery> deliveries) {
        ExecutorService pool = Executors.newFixedThreadPool(containers.size());
        AtomicInteger next = new AtomicInteger();
        List<Delivery> failed = new CopyOnWriteArrayList<>();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (TranscribeHandler container : containers) {
                running.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < deliveries.size(); i = next.getAndIncrement()) {
                        Delivery delivery = deliveries.get(i);
                        try {
                            container.handleRequest(delivery.event(), new TestContext(Duration.ofSeconds(30), delivery.requestId()));
                        } catch (RuntimeException thrown) {
                            failed.add(delivery);
                        }
                    }
                }));
            }
            for (Future<?> container : running) {
                container.get(120, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("a container did not finish", e);
        } finally {
            pool.shutdownNow();
        }
        return failed;
    }

    private Tally count(List<S3Notification.Upload> uploads, String logs) {
        Tally tally = new Tally();
        OutputNames names = new OutputNames("transcripts/");
        Env env = new Env(function.environment());
        java.util.Set<String> queued = new java.util.HashSet<>();
        Pipeline.build(env, AwsClientSettings.from(env), Clock.systemUTC()).admission.queue(FunctionHarness.BUCKET)
                .oldest(Integer.MAX_VALUE).forEach(entry -> queued.add(entry.key()));
        for (S3Notification.Upload upload : uploads) {
            if (function.exists(names.transcript(upload.key()))
                    && upload.eTag().equals(function.head(names.transcript(upload.key())).metadata().get(TranscriptWriter.SOURCE_ETAG))) {
                tally.transcripts++;
            } else if (function.exists(names.error(upload.key()))
                    && upload.eTag().equals(function.readJson(names.error(upload.key())).path("source").path("eTag").asText())) {
                tally.errorRecords++;
            } else if (queued.contains(upload.key())) {
                tally.admissionQueue++;
            } else if (failureDestination.stream().anyMatch(event -> event.getRecords().get(0).getS3().getObject()
                    .getUrlDecodedKey().equals(upload.key()))) {
                tally.failureQueue++;
            } else {
                tally.lost++;
            }
        }
        Map<String, Boolean> paid = new LinkedHashMap<>();
        for (ScriptedDeepgram.Call call : deepgram.ledger) {
            if (Boolean.TRUE.equals(paid.get(call.tag()))) {
                tally.doubleBilled++;
            }
            if (call.status() >= 200 && call.status() < 300) {
                paid.put(call.tag(), true);
            }
        }
        tally.leaks = occurrences(logs, KEY) + occurrences(logs, "X-Amz-Signature=") + occurrences(logs, TRANSCRIPT_TEXT);
        return tally;
    }

    private static int occurrences(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            count++;
        }
        return count;
    }

    /** The template's {@code MaximumRetryAttempts} for TranscribeFunction: the suite retries exactly as Lambda will. */
    private static int maximumRetryAttempts() {
        try {
            String template = Files.readString(Path.of("../../template.yaml"));
            String function = template.substring(template.indexOf("\n  TranscribeFunction:"));
            Matcher retries = Pattern.compile("MaximumRetryAttempts: (\\d+)").matcher(function);
            assertTrue(retries.find(), "TranscribeFunction has no MaximumRetryAttempts");
            return Integer.parseInt(retries.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static final class Tally {
        int transcripts;
        int errorRecords;
        int failureQueue;
        int admissionQueue;
        int lost;
        int doubleBilled;
        int leaks;

        void assertNothingLostOrPaidTwice() {
            assertEquals(0, lost, "lost uploads");
            assertEquals(0, doubleBilled, "Deepgram requests after a paid answer for the same upload");
        }

        void assertEveryUploadAccountedFor(int expectedTranscripts, int expectedErrorRecords, int expectedFailureQueue) {
            assertNothingLostOrPaidTwice();
            assertEquals(List.of(expectedTranscripts, expectedErrorRecords, expectedFailureQueue),
                    List.of(transcripts, errorRecords, failureQueue));
        }
    }

    /** Canned Deepgram failures. */
    private static final class FakeResponses {
        static MockResponse rateLimited() {
            return new MockResponse.Builder().code(429).setHeader("Retry-After", "0")
                    .body("{\"err_code\":\"TOO_MANY_REQUESTS\",\"err_msg\":\"Too many requests\"}").build();
        }

        static MockResponse status(int code) {
            return new MockResponse.Builder().code(code).body("{\"err_code\":\"BUSY\",\"err_msg\":\"try again\"}").build();
        }
    }

    /**
     * Deepgram on loopback answering the n-th request as the scenario's script says, after checking
     * the key as Deepgram does; it records each request's tag and the status it was answered with.
     */
    private static final class ScriptedDeepgram implements AutoCloseable {
        record Call(String tag, int status) {}

        final List<Call> ledger = new CopyOnWriteArrayList<>();
        private final AtomicInteger count = new AtomicInteger();
        private final MockWebServer server;
        volatile IntFunction<MockResponse> script;

        ScriptedDeepgram() {
            server = LoopbackServer.serving(this::answer);
        }

        String baseUrl() {
            String url = server.url("/").toString();
            return url.substring(0, url.length() - 1);
        }

        MockResponse transcript() {
            return FakeDeepgram.json(200, TRANSCRIPT);
        }

        private MockResponse answer(RecordedRequest request) {
            if (!("Token " + KEY).equals(request.getHeaders().get("Authorization"))) {
                ledger.add(new Call(tagOf(request), 401));
                return new MockResponse.Builder().code(401).body("{\"err_code\":\"INVALID_AUTH\"}").build();
            }
            MockResponse response = script.apply(count.getAndIncrement());
            boolean reset = response.getOnResponseStart() != null;
            ledger.add(new Call(tagOf(request), reset ? 0 : response.getCode()));
            return response;
        }

        private static String tagOf(RecordedRequest request) {
            return String.valueOf(request.getUrl().queryParameter("tag"));
        }

        @Override
        public void close() {
            server.close();
        }
    }

    /** A JSON answer of {@code size} bytes, generated as it is sent: nothing to hold for the test either. */
    private record PaddedAnswer(long size) implements MockResponseBody {
        @Override
        public long getContentLength() {
            return size;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            byte[] padding = "x".repeat(1 << 16).getBytes(StandardCharsets.US_ASCII);
            sink.writeUtf8("{\"pad\":\"");
            for (long left = size - 10; left > 0; left -= padding.length) {
                sink.write(padding, 0, (int) Math.min(padding.length, left));
            }
            sink.writeUtf8("\"}");
        }
    }
}
