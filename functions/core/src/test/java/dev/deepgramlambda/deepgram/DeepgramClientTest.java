package dev.deepgramlambda.deepgram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepgramlambda.aws.AwsClientSettings;
import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.secrets.SecretCache;
import dev.deepgramlambda.secrets.SecretFormatException;
import dev.deepgramlambda.standin.FakeDeepgram;
import dev.deepgramlambda.testing.Fixtures;
import dev.deepgramlambda.testing.LoopbackServer;
import dev.deepgramlambda.testing.ManualClock;
import dev.deepgramlambda.testing.StdoutCapture;
import dev.deepgramlambda.testing.TestBed;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.HttpUrl;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The Deepgram client against a Deepgram stand-in on loopback, with keys read through a real
 * {@link SecretCache} from moto_server. Backoffs are configured short; no test sleeps on purpose,
 * and the circuit's open duration passes on a {@link ManualClock}.
 */
class DeepgramClientTest {
    private static final String SECRET = "deepgram/api-key";
    private static final Instant START = Instant.parse("2026-11-29T12:00:00Z");
    private static final Duration CIRCUIT_OPEN = Duration.ofSeconds(1);
    private static final String AUDIO = "audio/hello-en.wav";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Deadline PLENTY = Deadline.in(Duration.ofMinutes(30));

    @RegisterExtension
    final TestBed bed = TestBed.onMoto();
    private final FakeDeepgram deepgram = new FakeDeepgram();
    /** Times the circuit breaker's open state. */
    private final ManualClock clock = new ManualClock(START);
    private final SecretsManagerClient secretsManager =
            AwsClientSettings.from(new Env(bed.environment())).build(SecretsManagerClient.builder());

    @AfterEach
    void tearDown() {
        deepgram.close();
        secretsManager.close();
    }

    @Test
    void givenAStreamedFile_whenTranscribed_thenTheRequestCarriesModelOptionsTagTokenAndTheAudioBytes() throws Exception {
        SecretCache keys = secret(FakeDeepgram.VALID_KEY);
        byte[] audio = Fixtures.bytes(AUDIO);

        ListenResponse response = client(settings()).listen(new ListenRequest("nova-3",
                ListenOptions.parse("smart_format=true&diarize=true"), "s3/bucket/incoming/a.wav",
                new AudioBody.Streamed("audio/wav", audio.length, () -> new ByteArrayInputStream(audio))),
                keys, Deadline.in(Duration.ofMinutes(1)), new CallStats());

        RecordedRequest request = deepgram.takeRequest();
        assertEquals("POST", request.getMethod());
        assertEquals("/v1/listen", request.getUrl().encodedPath());
        assertEquals("nova-3", request.getUrl().queryParameter("model"));
        assertEquals("true", request.getUrl().queryParameter("smart_format"));
        assertEquals("true", request.getUrl().queryParameter("diarize"));
        assertEquals("s3/bucket/incoming/a.wav", request.getUrl().queryParameter("tag"));
        assertEquals("Token " + FakeDeepgram.VALID_KEY, request.getHeaders().get("Authorization"));
        assertEquals("audio/wav", request.getHeaders().get("Content-Type"));
        assertEquals(audio.length, request.getBodySize());
        assertEquals("e33264a5-a72f-486f-99a1-85c630fa0191", response.requestId().orElseThrow());
        assertEquals(19.097937, response.durationSeconds().orElseThrow());
        assertEquals(List.of("general-nova-3"), response.models());
    }

    @Test
    void givenAUrlBody_whenSent_thenItIsJsonWithTheJsonContentType() throws Exception {
        deepgram.enqueue(FakeDeepgram.fixture(200, "deepgram/listen-nova3-smartformat-url-bueller.json"));

        client(settings()).listen(request(new AudioBody.RemoteUrl("https://example.com/a.wav?X-Amz-Signature=s")),
                secret(FakeDeepgram.VALID_KEY), Deadline.in(Duration.ofMinutes(1)), new CallStats());

        RecordedRequest request = deepgram.takeRequest();
        assertTrue(request.getHeaders().get("Content-Type").startsWith("application/json"));
        assertEquals("https://example.com/a.wav?X-Amz-Signature=s", JSON.readTree(request.getBody().utf8()).path("url").asText());
    }

    @ParameterizedTest(name = "HTTP {0} is retried")
    @ValueSource(ints = {408, 429, 500, 502, 503, 504})
    void givenATransientStatus_whenItHappensOnce_thenTheSecondAttemptSucceeds(int status) {
        deepgram.enqueue(FakeDeepgram.json(status, "{\"err_code\":\"X\",\"err_msg\":\"transient\"}"));
        CallStats stats = new CallStats();

        client(settings()).listen(streamedRequest(), secret(FakeDeepgram.VALID_KEY), Deadline.in(Duration.ofMinutes(1)), stats);

        assertEquals(2, deepgram.requests().size());
        assertEquals(2, stats.attempts());
        assertEquals(1, stats.retries());
        assertEquals(status == 429 ? 1 : 0, stats.rateLimitHits());
    }

    @ParameterizedTest(name = "HTTP {0} is not retried")
    @ValueSource(ints = {400, 402, 403, 404, 413})
    void givenAPermanentStatus_whenItHappens_thenThereIsExactlyOneAttempt(int status) {
        deepgram.enqueue(FakeDeepgram.json(status, "{\"err_code\":\"NOPE\",\"err_msg\":\"permanent\",\"request_id\":\"r-1\"}"));
        CallStats stats = new CallStats();

        DeepgramException e = assertThrows(DeepgramException.class, () -> client(settings())
                .listen(streamedRequest(), secret(FakeDeepgram.VALID_KEY), Deadline.in(Duration.ofMinutes(1)), stats));

        assertEquals(status, e.status());
        assertEquals("r-1", e.requestId().orElseThrow());
        assertEquals(1, deepgram.requests().size());
        assertEquals(1, stats.attempts());
    }

    @Test
    void givenRepeatedServerErrors_whenRetrying_thenWaitsGrowExponentiallyAndAttemptsStopAtTheMaximum() {
        for (int i = 0; i < 4; i++) {
            deepgram.enqueue(FakeDeepgram.json(503, "{\"err_code\":\"BUSY\",\"err_msg\":\"busy\"}"));
        }
        DeepgramSettings settings = settings(4, Duration.ofMillis(200), Duration.ofSeconds(2));
        CallStats stats = new CallStats();
        List<Long> sentAt = new java.util.concurrent.CopyOnWriteArrayList<>();

        assertThrows(DeepgramException.class, () -> client(settings).listen(request(new AudioBody.Streamed("audio/wav", 4,
                () -> {
                    sentAt.add(System.nanoTime());
                    return new ByteArrayInputStream(new byte[] {'R', 'I', 'F', 'F'});
                })), secret(FakeDeepgram.VALID_KEY), Deadline.in(Duration.ofMinutes(1)), stats));

        assertEquals(4, stats.attempts());
        assertEquals("all 4 attempts failed", stats.stopReason().orElseThrow());
        long[] minimumGapsMillis = {100, 200, 400};
        for (int i = 0; i < minimumGapsMillis.length; i++) {
            long gap = TimeUnit.NANOSECONDS.toMillis(sentAt.get(i + 1) - sentAt.get(i));
            assertTrue(gap >= minimumGapsMillis[i], "gap " + (i + 1) + " was " + gap + " ms, expected at least " + minimumGapsMillis[i]);
        }
    }

    @Test
    void givenA429WithRetryAfter_whenRetrying_thenTheServersWaitIsHonoured() {
        deepgram.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "1")
                .body("{\"err_code\":\"TOO_MANY_REQUESTS\",\"err_msg\":\"Too many requests\"}").build());
        CallStats stats = new CallStats();
        long started = System.nanoTime();

        client(settings(3, Duration.ofMillis(50), Duration.ofSeconds(2)))
                .listen(streamedRequest(), secret(FakeDeepgram.VALID_KEY), Deadline.in(Duration.ofMinutes(1)), stats);

        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) >= 1000, "waited less than Retry-After");
        assertEquals(1, stats.rateLimitHits());
        assertEquals(2, stats.attempts());
    }

    @Test
    void givenARetryAfterLongerThanTheLongestBackoff_whenRateLimited_thenTheClientStopsInsteadOfSleeping() {
        deepgram.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "120").body("slow down").build());
        CallStats stats = new CallStats();

        DeepgramException e = assertThrows(DeepgramException.class, () -> client(settings())
                .listen(streamedRequest(), secret(FakeDeepgram.VALID_KEY), Deadline.in(Duration.ofMinutes(10)), stats));

        assertEquals(DeepgramException.Kind.RATE_LIMITED, e.kind());
        assertEquals(1, stats.attempts());
        assertTrue(stats.stopReason().orElseThrow().contains("Retry-After"));
    }

    @Test
    void givenTheLambdaDeadlineIsNear_whenAnAttemptFails_thenNoFurtherAttemptIsStarted() {
        deepgram.enqueue(FakeDeepgram.json(503, "{}"));
        CallStats stats = new CallStats();
        DeepgramSettings twoSecondAttempts = quick().requestTimeout(Duration.ofSeconds(2))
                .backoff(Duration.ofMillis(50), Duration.ofMillis(400)).build();
        // A second attempt needs backoff + 2 s request timeout + 2 s reserve: more than the 3.95 s
        // ever left, while the first still gets well over the 1 s minimum even on a slow machine.
        DeepgramException e = assertThrows(DeepgramException.class, () -> client(twoSecondAttempts).listen(streamedRequest(),
                secret(FakeDeepgram.VALID_KEY), Deadline.in(Duration.ofMillis(3950)), stats));

        assertEquals(DeepgramException.Kind.SERVER_ERROR, e.kind());
        assertEquals(1, stats.attempts());
        assertEquals("another attempt could not finish before the Lambda deadline", stats.stopReason().orElseThrow());
    }

    @Test
    void givenLessThanASecondBeforeTheDeadline_whenCalled_thenNothingIsSentAndTheErrorSaysWhy() {
        CallStats stats = new CallStats();

        DeepgramException e = assertThrows(DeepgramException.class, () -> client(settings()).listen(streamedRequest(),
                secret(FakeDeepgram.VALID_KEY), Deadline.in(Duration.ofMillis(2500)), stats));

        assertEquals(DeepgramException.Kind.DEADLINE_EXCEEDED, e.kind());
        assertTrue(e.getMessage().contains("before the Lambda deadline"), e.getMessage());
        assertEquals(0, stats.attempts());
        assertEquals(0, deepgram.requests().size(), "a request that cannot be answered in time is never sent, so never billed");
    }

    @Test
    void givenAnAttemptShortenedToFitTheDeadline_whenDeepgramIsSlow_thenItEndsAsADeadlineNotAnOutage() {
        deepgram.enqueue(new MockResponse.Builder().headersDelay(5, TimeUnit.SECONDS).code(200).body("{}").build());
        DeepgramSettings longAttempts = quick().requestTimeout(Duration.ofSeconds(30))
                .backoff(Duration.ofMillis(50), Duration.ofMillis(400)).build();
        CallStats stats = new CallStats();

        DeepgramException e = assertThrows(DeepgramException.class, () -> client(longAttempts).listen(streamedRequest(),
                secret(FakeDeepgram.VALID_KEY), Deadline.in(Duration.ofMillis(3600)), stats));

        assertEquals(DeepgramException.Kind.DEADLINE_EXCEEDED, e.kind(), "our deadline, not Deepgram, cut the attempt short");
        assertEquals(1, stats.attempts());
    }

    @Test
    void givenAHalfOpenCircuit_whenTheProbeIsRateLimited_thenTheCircuitStaysHalfOpenUntilARealAnswer() {
        SecretCache keys = secret(FakeDeepgram.VALID_KEY);
        DeepgramClient client = openCircuit(keys);
        clock.advance(CIRCUIT_OPEN.plusMillis(1));

        deepgram.enqueue(FakeDeepgram.json(429, "{\"err_code\":\"TOO_MANY_REQUESTS\",\"err_msg\":\"slow down\"}"));
        assertThrows(DeepgramException.class, () -> client.listen(streamedRequest(), keys, Deadline.in(Duration.ofMinutes(1)), new CallStats()));
        assertEquals(CircuitBreaker.State.HALF_OPEN, client.circuitState(), "a 429 says nothing about whether Deepgram recovered");

        client.listen(streamedRequest(), keys, Deadline.in(Duration.ofMinutes(1)), new CallStats());
        assertEquals(CircuitBreaker.State.CLOSED, client.circuitState());
    }

    @Test
    void givenABaseUrlWithAPath_whenAManagementCallIsSent_thenThePathIsKept() throws Exception {
        DeepgramSettings prefixed = quick().baseUrl(HttpUrl.get(deepgram.baseUrl() + "/deepgram")).maxAttempts(1).build();
        deepgram.enqueue(FakeDeepgram.json(200, "{\"projects\":[]}"));

        client(prefixed).send("GET", "/v1/projects", null, new ApiKey(FakeDeepgram.VALID_KEY, ApiKey.Slot.PRIMARY), Duration.ofSeconds(2));

        assertEquals("/deepgram/v1/projects", deepgram.takeRequest().getUrl().encodedPath());
    }

    @Test
    void givenDeepgramDoesNotAnswerInTime_whenCalled_thenEachAttemptTimesOutAndIsRetried() {
        MockResponse stuck = new MockResponse.Builder().headersDelay(3, TimeUnit.SECONDS).code(200).body("{}").build();
        deepgram.enqueue(stuck).enqueue(stuck);
        CallStats stats = new CallStats();

        DeepgramException e = assertThrows(DeepgramException.class, () -> client(settings(2, Duration.ofMillis(50), Duration.ofMillis(100)))
                .listen(streamedRequest(), secret(FakeDeepgram.VALID_KEY), Deadline.in(Duration.ofMinutes(1)), stats));

        assertEquals(DeepgramException.Kind.TIMEOUT, e.kind());
        assertEquals(2, stats.attempts());
    }

    @Test
    void givenNothingListens_whenCalled_thenConnectionFailuresAreRetriedAndReported() throws IOException {
        DeepgramSettings settings = quick().baseUrl(HttpUrl.get("http://127.0.0.1:" + LoopbackServer.closedPort()))
                .backoff(Duration.ofMillis(20), Duration.ofMillis(100)).build();
        CallStats stats = new CallStats();

        DeepgramException e = assertThrows(DeepgramException.class, () -> client(settings)
                .listen(streamedRequest(), secret(FakeDeepgram.VALID_KEY), Deadline.in(Duration.ofMinutes(1)), stats));

        assertEquals(DeepgramException.Kind.CONNECTION, e.kind());
        assertEquals(3, stats.attempts());
    }

    @Test
    void givenRepeatedServerErrors_whenTheCircuitOpens_thenCallsFailFastUntilAHalfOpenProbeSucceeds() {
        SecretCache keys = secret(FakeDeepgram.VALID_KEY);
        DeepgramClient client = openCircuit(keys);
        assertEquals(CircuitBreaker.State.OPEN, client.circuitState());

        DeepgramException open = assertThrows(DeepgramException.class,
                () -> client.listen(streamedRequest(), keys, Deadline.in(Duration.ofMinutes(1)), new CallStats()));
        assertEquals(DeepgramException.Kind.CIRCUIT_OPEN, open.kind());
        assertTrue(open.getMessage().contains("circuit breaker open"), open.getMessage());
        assertEquals(5, deepgram.requests().size(), "an open circuit sends nothing");

        clock.advance(CIRCUIT_OPEN.minusMillis(1));
        assertEquals(DeepgramException.Kind.CIRCUIT_OPEN, assertThrows(DeepgramException.class,
                () -> client.listen(streamedRequest(), keys, Deadline.in(Duration.ofMinutes(1)), new CallStats())).kind(),
                "still open until the whole open duration has passed");
        clock.advance(Duration.ofMillis(2));
        client.listen(streamedRequest(), keys, Deadline.in(Duration.ofMinutes(1)), new CallStats());
        assertEquals(CircuitBreaker.State.CLOSED, client.circuitState());
        assertEquals(6, deepgram.requests().size());
    }

    @Test
    void givenClientErrors_whenTheyRepeat_thenTheCircuitStaysClosed() {
        DeepgramClient client = client(settings(1, Duration.ofMillis(10), Duration.ofMillis(10)));
        SecretCache keys = secret(FakeDeepgram.VALID_KEY);
        for (int i = 0; i < 6; i++) {
            deepgram.enqueue(FakeDeepgram.fixture(400, "deepgram/error-400-corrupt-or-unsupported-audio.docs-example.json"));
            assertThrows(DeepgramException.class, () -> client.listen(streamedRequest(), keys, Deadline.in(Duration.ofMinutes(1)), new CallStats()));
        }

        assertEquals(CircuitBreaker.State.CLOSED, client.circuitState(), "bad audio says nothing about Deepgram's health");
    }

    @Test
    void givenTheCachedKeyWasRotated_whenDeepgramAnswers401_thenTheSecretIsReReadAndTheCallSucceeds() {
        SecretCache keys = secret("revoked-key");
        keys.current();
        bed.aws.putSecret(SECRET, FakeDeepgram.VALID_KEY);
        CallStats stats = new CallStats();

        client(settings()).listen(streamedRequest(), keys, Deadline.in(Duration.ofMinutes(1)), stats);

        List<RecordedRequest> requests = deepgram.requests();
        assertEquals(2, requests.size());
        assertEquals("Token revoked-key", requests.get(0).getHeaders().get("Authorization"));
        assertEquals("Token " + FakeDeepgram.VALID_KEY, requests.get(1).getHeaders().get("Authorization"));
        assertEquals(ApiKey.Slot.PRIMARY, stats.keySlot());
    }

    @Test
    void givenThePrimaryKeyIsRejectedEvenAfterReReading_whenAFallbackExists_thenTheFallbackServes() {
        SecretCache keys = secret("{\"apiKey\": \"expired-key\", \"fallbackApiKey\": \"" + FakeDeepgram.VALID_KEY + "\"}");
        CallStats stats = new CallStats();

        client(settings()).listen(streamedRequest(), keys, Deadline.in(Duration.ofMinutes(1)), stats);

        assertEquals(ApiKey.Slot.FALLBACK, stats.keySlot());
        assertEquals("Token " + FakeDeepgram.VALID_KEY, deepgram.requests().get(1).getHeaders().get("Authorization"));
    }

    @Test
    void givenThePrimaryKeyIsRevoked_whenCallsContinue_thenOnlyTheFirstTriesItAndTheRestGoStraightToTheFallback() {
        SecretCache keys = secret("{\"apiKey\": \"revoked-key\", \"fallbackApiKey\": \"" + FakeDeepgram.VALID_KEY + "\"}");
        DeepgramClient client = client(settings());

        for (int i = 0; i < 3; i++) {
            CallStats stats = new CallStats();
            client.listen(streamedRequest(), keys, Deadline.in(Duration.ofMinutes(1)), stats);
            assertEquals(ApiKey.Slot.FALLBACK, stats.keySlot());
        }

        List<String> keysSent = deepgram.requests().stream().map(r -> r.getHeaders().get("Authorization")).toList();
        assertEquals(List.of("Token revoked-key", "Token " + FakeDeepgram.VALID_KEY, "Token " + FakeDeepgram.VALID_KEY,
                "Token " + FakeDeepgram.VALID_KEY), keysSent, "the revoked key is tried once per secret TTL, not per call");
    }

    @Test
    void givenNoKeyWorks_whenCalled_thenTheUnauthorizedErrorSurfacesWithoutTheKey() {
        SecretCache keys = secret("{\"apiKey\": \"expired-key\", \"fallbackApiKey\": \"also-expired\"}");

        DeepgramException e = assertThrows(DeepgramException.class, () -> client(settings())
                .listen(streamedRequest(), keys, Deadline.in(Duration.ofMinutes(1)), new CallStats()));

        assertEquals(DeepgramException.Kind.UNAUTHORIZED, e.kind());
        assertEquals(2, deepgram.requests().size(), "primary once (secret unchanged), fallback once");
        assertFalse(e.getMessage().contains("expired"), e.getMessage());
    }

    @Test
    void givenARetry_whenTheBodyIsAStream_thenEachAttemptReopensTheStream() {
        deepgram.enqueue(FakeDeepgram.json(503, "{}"));
        AtomicInteger opens = new AtomicInteger();
        byte[] audio = Fixtures.bytes(AUDIO);

        client(settings()).listen(request(new AudioBody.Streamed("audio/wav", audio.length, () -> {
            opens.incrementAndGet();
            return new ByteArrayInputStream(audio);
        })), secret(FakeDeepgram.VALID_KEY), Deadline.in(Duration.ofMinutes(1)), new CallStats());

        assertEquals(2, opens.get());
        assertEquals(audio.length, deepgram.requests().get(1).getBodySize());
    }

    @Test
    void givenAManagementCall_whenSent_thenItIsASingleAttemptReturningJson() {
        var projects = client(settings()).send("GET", "/v1/projects", null, new ApiKey(FakeDeepgram.VALID_KEY, ApiKey.Slot.PRIMARY), Duration.ofSeconds(2));

        assertEquals("proj-test", projects.path("projects").get(0).path("project_id").asText());
        deepgram.enqueue(FakeDeepgram.json(503, "{}"));
        assertThrows(DeepgramException.class, () -> client(settings()).send("GET", "/v1/projects", null,
                new ApiKey(FakeDeepgram.VALID_KEY, ApiKey.Slot.PRIMARY), Duration.ofSeconds(2)));
        assertEquals(2, deepgram.requests().size());
    }

    /** Issue 10, item 1: with DEEPGRAM_TIMEOUT_SECONDS above 60, ten healthy 70 s transcriptions must not open the circuit. */
    @Test
    void givenALongTimeout_whenDeepgramAnswersSlowlyButWell_thenTheCircuitStaysClosed() {
        DeepgramClient client = DeepgramClient.create(timed(Duration.ofSeconds(300), 1), clock);
        byte[] audio = Fixtures.bytes("audio/hello-en.wav");
        SecretCache keys = secret(FakeDeepgram.VALID_KEY);

        for (int i = 0; i < 10; i++) {
            client.listen(request(new AudioBody.Streamed("audio/wav", audio.length, () -> {
                clock.advance(Duration.ofSeconds(70)); // this call takes 70 s by the breaker's clock
                return new ByteArrayInputStream(audio);
            })), keys, PLENTY, new CallStats());
        }

        assertEquals(CircuitBreaker.State.CLOSED, client.circuitState(), "slow successes are successes");
        assertEquals(10, deepgram.requests().size());
    }

    /** Issue 10, item 1: our source stalling mid-upload is not Deepgram failing. */
    @Test
    void givenTheAudioSourceStalls_whenEveryAttemptTimesOutMidUpload_thenTheCircuitStaysClosed() {
        DeepgramClient client = DeepgramClient.create(timed(Duration.ofSeconds(1), 1));
        SecretCache keys = secret(FakeDeepgram.VALID_KEY);

        for (int i = 0; i < 5; i++) {
            DeepgramException e = assertThrows(DeepgramException.class, () -> client.listen(request(
                    new AudioBody.Streamed("audio/wav", 1_000_000, StallingSource::new)), keys, PLENTY, new CallStats()));
            assertEquals(DeepgramException.Kind.UPLOAD_STALLED, e.kind(), e.getMessage());
            assertTrue(e.retryable(1), "a stalled upload is transient: Lambda may retry it");
        }

        assertEquals(CircuitBreaker.State.CLOSED, client.circuitState(), "five stalled uploads say nothing about Deepgram");
    }

    /** Issue 10, item 5: an error body is read up to a cap, never whole; a 10 MB page trickling in does not hold the call. */
    @Test
    void givenAHugeSlowErrorBody_whenDeepgramFails_thenOnlyItsHeadIsReadAndTheStatusCounts() {
        Buffer page = new Buffer();
        page.writeUtf8("{\"err_code\":\"BUSY\",\"err_msg\":\"busy\"}");
        page.write(new byte[10 * 1024 * 1024]);
        deepgram.enqueue(new MockResponse.Builder().code(503).body(page).throttleBody(256 * 1024, 1, TimeUnit.SECONDS).build());

        DeepgramException e = assertThrows(DeepgramException.class, () -> DeepgramClient.create(timed(Duration.ofSeconds(2), 1))
                .listen(urlRequest(), secret(FakeDeepgram.VALID_KEY), PLENTY, new CallStats()));

        assertEquals(DeepgramException.Kind.SERVER_ERROR, e.kind(), e.getMessage());
        assertEquals(503, e.status());
    }

    /**
     * Issue 10, item 5: a success body announced past the spool's limit is refused unread, and is
     * not retried (that would pay again). The streamed case is in {@link ListenResponseTest}.
     */
    @Test
    void givenASuccessBodyAnnouncedOverTheLimit_whenItArrives_thenTheCallFailsPermanentlyAfterOneAttempt() {
        deepgram.enqueue(new MockResponse.Builder().code(200).body("{}")
                .setHeader("Content-Length", Long.toString(ListenResponse.MAX_BYTES + 1)).build());
        CallStats stats = new CallStats();

        DeepgramException e = assertThrows(DeepgramException.class, () -> DeepgramClient.create(timed(Duration.ofSeconds(30), 3))
                .listen(urlRequest(), secret(FakeDeepgram.VALID_KEY), PLENTY, stats));

        assertEquals(DeepgramException.Kind.RESPONSE_TOO_LARGE, e.kind(), e.getMessage());
        assertEquals(1, stats.attempts());
    }

    /** Issue 10: a 2xx Deepgram answered is paid; a garbled body is not retried (that pays again), it fails permanently. */
    @Test
    void givenA2xxBodyThatIsNotJson_whenItArrives_thenTheCallFailsPermanentlyAfterOneAttempt() {
        deepgram.enqueue(new MockResponse.Builder().code(200).body("<html>proxy says hi</html>").build());
        CallStats stats = new CallStats();

        DeepgramException e = assertThrows(DeepgramException.class, () -> DeepgramClient.create(timed(Duration.ofSeconds(2), 3))
                .listen(urlRequest(), secret(FakeDeepgram.VALID_KEY), PLENTY, stats));

        assertEquals(DeepgramException.Kind.RESPONSE_UNREADABLE, e.kind());
        assertEquals(1, stats.attempts());
    }

    @Test
    void givenACallbackSubmission_whenDeepgramAcknowledgesIt_thenItsRequestIdIsReturnedAndTheUrlIsSentForAPut() throws Exception {
        deepgram.enqueue(FakeDeepgram.json(200, "{\"request_id\":\"req-7\"}"));

        String requestId = DeepgramClient.create(timed(Duration.ofSeconds(2), 3))
                .submit(urlRequest(), "https://results.example/r?X-Amz-Signature=s", secret(FakeDeepgram.VALID_KEY), PLENTY, new CallStats());

        assertEquals("req-7", requestId);
        RecordedRequest request = deepgram.takeRequest();
        assertEquals("https://results.example/r?X-Amz-Signature=s", request.getUrl().queryParameter("callback"));
        assertEquals("put", request.getUrl().queryParameter("callback_method"));
    }

    /** A 2xx acknowledgement that is not a JSON object is garbled as a transcript would be: permanent, not retried. */
    @ParameterizedTest(name = "acknowledgement {0}")
    @ValueSource(strings = {"<html>proxy says hi</html>", "[1,2]", ""})
    void givenACallbackAcknowledgementThatIsNotAJsonObject_whenItArrives_thenTheSubmissionIsUnreadableAfterOneAttempt(String body) {
        deepgram.enqueue(FakeDeepgram.json(200, body));
        CallStats stats = new CallStats();

        DeepgramException e = assertThrows(DeepgramException.class, () -> DeepgramClient.create(timed(Duration.ofSeconds(2), 3))
                .submit(urlRequest(), "https://results.example/r", secret(FakeDeepgram.VALID_KEY), PLENTY, stats));

        assertEquals(DeepgramException.Kind.RESPONSE_UNREADABLE, e.kind(), e.getMessage());
        assertEquals(1, stats.attempts());
    }

    @ParameterizedTest(name = "acknowledgement {0}")
    @ValueSource(strings = {"{}", "{\"request_id\":\" \"}", "{\"request_id\":7}"})
    void givenACallbackAcknowledgementWithoutARequestId_whenItArrives_thenTheSubmissionIsAServerError(String body) {
        deepgram.enqueue(FakeDeepgram.json(200, body));

        DeepgramException e = assertThrows(DeepgramException.class, () -> DeepgramClient.create(timed(Duration.ofSeconds(2), 3))
                .submit(urlRequest(), "https://results.example/r", secret(FakeDeepgram.VALID_KEY), PLENTY, new CallStats()));

        assertEquals(DeepgramException.Kind.SERVER_ERROR, e.kind());
        assertTrue(e.getMessage().contains("without a request_id"), e.getMessage());
    }

    /** Issue 10, item 7: a key the re-read returned and Deepgram rejected too is remembered: the next call goes to the fallback at once. */
    @Test
    void givenTheReReadKeyIsRejectedToo_whenTheNextCallComes_thenItGoesStraightToTheFallback() {
        SecretCache keys = secret("{\"apiKey\": \"revoked-1\", \"fallbackApiKey\": \"" + FakeDeepgram.VALID_KEY + "\"}");
        keys.current();
        bed.aws.putSecret(SECRET, "{\"apiKey\": \"revoked-2\", \"fallbackApiKey\": \"" + FakeDeepgram.VALID_KEY + "\"}");
        DeepgramClient client = DeepgramClient.create(timed(Duration.ofSeconds(2), 3));

        client.listen(streamedRequest(), keys, PLENTY, new CallStats());
        CallStats second = new CallStats();
        client.listen(streamedRequest(), keys, PLENTY, second);

        List<String> sent = deepgram.requests().stream().map(r -> r.getHeaders().get("Authorization")).toList();
        assertEquals(List.of("Token revoked-1", "Token revoked-2", "Token " + FakeDeepgram.VALID_KEY,
                "Token " + FakeDeepgram.VALID_KEY), sent);
        assertEquals(ApiKey.Slot.FALLBACK, second.keySlot());
    }

    /** Issue 10, item 6: a primary key with a no-break space pasted into it is named in the log (not quoted) and the fallback serves. */
    @Test
    void givenAPrimaryKeyHeadersCannotCarry_whenTranscribing_thenTheFallbackServesAndTheLogNamesTheProblemNotTheValue() {
        String pasted = "pasted-key\u00a0tail";
        CallStats stats = new CallStats();
        String log;
        try (StdoutCapture captured = new StdoutCapture()) {
            DeepgramClient.create(timed(Duration.ofSeconds(2), 1)).listen(streamedRequest(),
                    secret("{\"apiKey\": \"" + pasted + "\", \"fallbackApiKey\": \"" + FakeDeepgram.VALID_KEY + "\"}"),
                    PLENTY, stats);
            log = captured.text();
        }

        assertEquals(ApiKey.Slot.FALLBACK, stats.keySlot());
        assertEquals(1, deepgram.requests().size(), "the unusable key is never sent");
        assertTrue(log.contains("U+00A0 at position 11"), log);
        assertFalse(log.contains("pasted-key") || log.contains("tail"), log);
        assertFalse(log.contains(FakeDeepgram.VALID_KEY), log);
    }

    /** Issue 10, item 6: with no usable fallback the secret is malformed, and the error says why without the value. */
    @Test
    void givenOnlyAnUnusableKey_whenRead_thenTheSecretIsMalformedWithoutQuotingIt() {
        SecretCache keys = secret("{\"apiKey\": \"pasted-key\u00a0\"}");

        SecretFormatException e = assertThrows(SecretFormatException.class, keys::current);

        assertTrue(e.getMessage().contains("U+00A0"), e.getMessage());
        assertFalse(e.getMessage().contains("pasted-key"), e.getMessage());
    }

    /** Issue 10, item 10: a redirect is an answer we count, never a second request OkHttp sends on its own. */
    @Test
    void givenDeepgramRedirects_whenCalled_thenNoSecondRequestIsSentBehindOurBack() {
        deepgram.enqueue(new MockResponse.Builder().code(302).setHeader("Location", "/v1/listen-elsewhere").build());
        CallStats stats = new CallStats();

        DeepgramException e = assertThrows(DeepgramException.class, () -> DeepgramClient.create(timed(Duration.ofSeconds(2), 3))
                .listen(urlRequest(), secret(FakeDeepgram.VALID_KEY), PLENTY, stats));

        assertEquals(302, e.status());
        assertEquals(1, deepgram.requests().size());
        assertEquals(stats.attempts(), deepgram.requests().size());
    }

    /** Issue 10, item 10: a pooled connection dropped mid-request is not silently retried by OkHttp: every request is an attempt. */
    @Test
    void givenAPooledConnectionDropsTheRequest_whenCalled_thenEveryRequestDeepgramSawIsACountedAttempt() {
        DeepgramClient client = DeepgramClient.create(timed(Duration.ofSeconds(2), 1));
        SecretCache keys = secret(FakeDeepgram.VALID_KEY);
        deepgram.enqueue(FakeDeepgram.fixture(200, "deepgram/listen-nova3-smartformat-url-bueller.json"));
        client.listen(urlRequest(), keys, PLENTY, new CallStats()); // leaves a kept-alive connection in the pool
        deepgram.enqueue(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
        CallStats stats = new CallStats();

        assertThrows(DeepgramException.class, () -> client.listen(urlRequest(), keys, PLENTY, stats));

        assertEquals(1, stats.attempts());
        assertEquals(2, deepgram.requests().size(), "the first call, and exactly one request for the second");
    }

    /** Issue 10, item 10: codes and request ids from a hostile answer are made safe tokens of bounded length. */
    @Test
    void givenAnErrorCodeAndRequestIdFullOfJunk_whenDeepgramFails_thenTheyAreSanitisedAndTruncated() {
        String junk = "BAD\nCODE https://x.example/a?X-Amz-Signature=secretsig " + "y".repeat(5000);
        deepgram.enqueue(FakeDeepgram.json(400, "{\"err_code\":\"" + junk.replace("\n", "\\n") + "\",\"err_msg\":\"no\",\"request_id\":\""
                + "r\\u0000<script>" + "z".repeat(5000) + "\"}"));

        DeepgramException e = assertThrows(DeepgramException.class, () -> DeepgramClient.create(timed(Duration.ofSeconds(2), 1))
                .listen(urlRequest(), secret(FakeDeepgram.VALID_KEY), PLENTY, new CallStats()));

        String code = e.errorCode().orElseThrow();
        String requestId = e.requestId().orElseThrow();
        assertTrue(code.length() <= 64 && code.matches("[A-Za-z0-9 ._:-]+"), code);
        assertTrue(requestId.length() <= 128 && requestId.matches("[A-Za-z0-9._:-]+"), requestId);
        assertTrue(!e.getMessage().contains("secretsig"), e.getMessage());
    }

    /** Gives the first bytes of a WAV header, then each read blocks longer than any test's request timeout. */
    private static final class StallingSource extends InputStream {
        private boolean headerSent;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0];
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (!headerSent) {
                headerSent = true;
                byte[] riff = "RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                int n = Math.min(length, riff.length);
                System.arraycopy(riff, 0, buffer, offset, n);
                return n;
            }
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException();
            }
            java.util.Arrays.fill(buffer, offset, offset + length, (byte) 0);
            return length;
        }
    }

    /**
     * A client whose circuit five 500s in a row have just opened (minimum 5 calls, failure rate
     * 50 %); its open duration passes on {@link #clock}.
     */
    private DeepgramClient openCircuit(SecretCache keys) {
        DeepgramClient client = DeepgramClient.create(settings(1, Duration.ofMillis(10), Duration.ofMillis(10)), clock);
        for (int i = 0; i < 5; i++) {
            deepgram.enqueue(FakeDeepgram.json(500, "{}"));
            assertThrows(DeepgramException.class, () -> client.listen(streamedRequest(), keys, Deadline.in(Duration.ofMinutes(1)), new CallStats()));
        }
        return client;
    }

    private SecretCache secret(String value) {
        bed.aws.createSecret(SECRET, value);
        return new SecretCache(secretsManager, SECRET, Duration.ofSeconds(300), Clock.systemUTC());
    }

    private DeepgramClient client(DeepgramSettings settings) {
        return DeepgramClient.create(settings);
    }

    private DeepgramSettings settings() {
        return settings(3, Duration.ofMillis(50), Duration.ofMillis(400));
    }

    private DeepgramSettings settings(int attempts, Duration backoffBase, Duration backoffMax) {
        return quick().maxAttempts(attempts).backoff(backoffBase, backoffMax).build();
    }

    /** The fake Deepgram, 1 s timeouts and a 1 s open circuit, three attempts: quick to fail and to recover. */
    private DeepgramSettings.Builder quick() {
        return DeepgramSettings.builder().baseUrl(HttpUrl.get(deepgram.baseUrl())).timeout(Duration.ofSeconds(1))
                .maxAttempts(3).circuitOpenDuration(CIRCUIT_OPEN);
    }

    /** Short backoffs, {@code requestTimeout} per attempt, and a circuit that stays open longer than any test. */
    private DeepgramSettings timed(Duration requestTimeout, int attempts) {
        return DeepgramSettings.builder().baseUrl(HttpUrl.get(deepgram.baseUrl())).connectTimeout(Duration.ofSeconds(1))
                .requestTimeout(requestTimeout).maxAttempts(attempts).backoff(Duration.ofMillis(20), Duration.ofMillis(100))
                .circuitOpenDuration(Duration.ofSeconds(30)).build();
    }

    /** A URL body: small and replayable, exactly what OkHttp would resend on its own. */
    private ListenRequest urlRequest() {
        return request(new AudioBody.RemoteUrl(deepgram.baseUrl() + "/not-fetched-when-scripted.wav"));
    }

    private static ListenRequest request(AudioBody body) {
        return new ListenRequest("nova-3", ListenOptions.empty(), "test", body);
    }

    private static ListenRequest streamedRequest() {
        byte[] audio = Fixtures.bytes(AUDIO);
        return request(new AudioBody.Streamed("audio/wav", audio.length, () -> new ByteArrayInputStream(audio)));
    }
}
