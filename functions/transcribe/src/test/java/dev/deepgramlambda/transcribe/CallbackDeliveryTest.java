package dev.deepgramlambda.transcribe;

import static dev.deepgramlambda.transcribe.FunctionHarness.BUCKET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepgramlambda.standin.CallbackSender;
import dev.deepgramlambda.standin.FakeDeepgram;
import dev.deepgramlambda.standin.FakeDeepgram.CallbackResult;
import dev.deepgramlambda.standin.MotoServer;
import dev.deepgramlambda.standin.S3Notification;
import dev.deepgramlambda.testing.FaultyAwsProxy;
import dev.deepgramlambda.testing.Fixtures;
import dev.deepgramlambda.testing.ManualClock;
import dev.deepgramlambda.testing.S3Events;
import dev.deepgramlambda.testing.StdoutCapture;
import dev.deepgramlambda.testing.TestContext;
import dev.deepgramlambda.transcribe.FunctionHarness.Invocation;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Callback delivery end to end against moto and the Deepgram stand-in, which accepts the job with a
 * request id and later PUTs the result to the presigned URL from another thread, as Deepgram does.
 * S3 notifications are what moto cannot send: each test hands the function the event S3 would.
 */
class CallbackDeliveryTest {
    private static final byte[] HELLO = Fixtures.bytes("audio/hello-en.wav");
    private static final String KEY = "incoming/meeting.wav";
    private static final String PREFIX = "deepgram-callbacks/";

    @RegisterExtension
    final FunctionHarness function = new FunctionHarness()
            .with("DELIVERY", "callback")
            .with("CALLBACK_TIMEOUT_MINUTES", "60")
            .with("CALLBACK_BUCKET", BUCKET);
    private final ManualClock clock = new ManualClock(Instant.now());

    @Test
    void givenALongRecording_whenDeepgramAnswersTenMinutesLater_thenTheResultBecomesTheSameTranscriptAsSync() throws Exception {
        function.deepgram.callbacks(CallbackResult.HELD, 1);
        TranscribeHandler handler = handler();
        S3Notification.Upload upload = function.upload(KEY, HELLO);

        Invocation submitted = function.invoke(handler, S3Events.objectCreated(upload));

        assertNull(submitted.thrown());
        assertEquals("submitted", submitted.recordLog().path("outcome").asText());
        assertEquals("submitted", status(submitted.outcomes().get(0)));
        RecordedRequest request = function.deepgram.takeRequest();
        assertEquals("put", request.getUrl().queryParameter("callback_method"));
        String callback = request.getUrl().queryParameter("callback");
        assertTrue(callback.contains("/" + BUCKET + "/" + PREFIX + "results/") && callback.contains("X-Amz-Signature="), callback);
        assertFalse(submitted.stdout().contains("X-Amz-Signature"), "the callback URL is a credential and never logged");
        assertFalse(function.exists("transcripts/" + KEY + ".json"));

        clock.advance(Duration.ofMinutes(10));
        function.deepgram.releaseHeldCallbacks();
        String resultKey = awaitResult();
        Invocation completed = function.invoke(handler, function.created(resultKey));

        assertNull(completed.thrown());
        assertEquals("success", status(completed.outcomes().get(0)));
        JsonNode json = function.readJson("transcripts/" + KEY + ".json");
        String requestId = json.path("metadata").path("request_id").asText();
        assertEquals(requestId, function.head("transcripts/" + KEY + ".json").metadata().get("deepgram-request-id"));
        assertEquals(upload.eTag(), function.head("transcripts/" + KEY + ".txt").metadata().get("source-etag"));
        assertTrue(function.read("transcripts/" + KEY + ".txt").startsWith("We, the people of The United States"));
        for (String captions : List.of(".srt", ".vtt")) {
            assertEquals(upload.eTag(), function.head("transcripts/" + KEY + captions).metadata().get("source-etag"),
                    "captions render through the same step as the synchronous path");
        }
        assertEquals("true", request.getUrl().queryParameter("utterances"));
        JsonNode latency = completed.measurements().stream().filter(l -> l.has("TranscriptionLatency")).findFirst().orElseThrow();
        assertEquals(600_000, latency.path("TranscriptionLatency").asDouble(), 1_000, "latency is submission to arrival");
        assertEquals(List.of(), function.keys(PREFIX), "the pending record and the raw result are removed");
    }

    @Test
    void givenAShortRecording_whenTheStandInCallsBackOnItsOwn_thenOneInvocationEachWay() {
        TranscribeHandler handler = handler();
        function.invoke(handler, S3Events.objectCreated(function.upload(KEY, HELLO)));

        Invocation completed = function.invoke(handler, function.created(awaitResult()));

        assertEquals("success", status(completed.outcomes().get(0)));
        assertTrue(function.exists("transcripts/" + KEY + ".json"));
        assertEquals(1, function.deepgram.requests().size(), "one paid request");
    }

    @Test
    void givenDeepgramPutsTheResultTwice_whenBothEventsArrive_thenOneTranscriptAndTheSecondIsDiscarded() throws Exception {
        function.deepgram.callbacks(CallbackResult.TRANSCRIPT, 2);
        TranscribeHandler handler = handler();
        function.invoke(handler, S3Events.objectCreated(function.upload(KEY, HELLO)));
        String resultKey = awaitResult();
        awaitDeliveries(2);
        byte[] delivered = function.read(resultKey).getBytes(StandardCharsets.UTF_8);

        Invocation first = function.invoke(handler, function.created(resultKey));
        // The second PUT landing after the first completion removed the result, and its own event:
        function.aws.put(BUCKET, resultKey, delivered, Map.of());
        Invocation second = function.invoke(handler, function.created(resultKey));

        assertEquals("success", status(first.outcomes().get(0)));
        assertEquals("skipped", status(second.outcomes().get(0)));
        assertEquals("unknown-callback", second.recordLog().path("reason").asText());
        assertEquals(List.of(), function.keys(PREFIX));
        assertFalse(function.exists("transcripts/" + KEY + ".error.json"));
    }

    @Test
    void givenACallbackCarryingAnError_whenCompleted_thenAnErrorRecordAndNoTranscript() {
        function.deepgram.callbacks(CallbackResult.ERROR, 1);
        TranscribeHandler handler = handler();
        function.invoke(handler, S3Events.objectCreated(function.upload(KEY, HELLO)));

        Invocation completed = function.invoke(handler, function.created(awaitResult()));

        assertEquals("failure", status(completed.outcomes().get(0)));
        JsonNode error = function.readJson("transcripts/" + KEY + ".error.json");
        assertEquals("deepgram-callback-error", error.path("reason").asText());
        assertEquals("INTERNAL_SERVER_ERROR", error.path("deepgramErrorCode").asText());
        assertFalse(function.exists("transcripts/" + KEY + ".json"));
        assertEquals(List.of(), function.keys(PREFIX));
    }

    @Test
    void givenBytesThatAreNotJson_whenCompleted_thenAnErrorRecordAndNoTranscript() {
        function.deepgram.callbacks(CallbackResult.HELD, 1);
        TranscribeHandler handler = handler();
        function.invoke(handler, S3Events.objectCreated(function.upload(KEY, HELLO)));
        String resultKey = pending().resultKey();
        function.aws.put(BUCKET, resultKey, "<html>502 Bad Gateway</html>".getBytes(StandardCharsets.UTF_8), Map.of());

        Invocation completed = function.invoke(handler, function.created(resultKey));

        assertEquals("callback-invalid-body", function.readJson("transcripts/" + KEY + ".error.json").path("reason").asText());
        assertEquals("failure", status(completed.outcomes().get(0)));
        assertFalse(function.exists("transcripts/" + KEY + ".json"));
    }

    @Test
    void givenAResultForAnotherRequestId_whenCompleted_thenItIsDiscardedAndTheJobStillAwaitsItsOwn() {
        function.deepgram.callbacks(CallbackResult.HELD, 1);
        TranscribeHandler handler = handler();
        function.invoke(handler, S3Events.objectCreated(function.upload(KEY, HELLO)));
        PendingJob job = pending();
        function.aws.put(BUCKET, job.resultKey(), Fixtures.bytes("deepgram/listen-nova3-smartformat-file-preamble.json"), Map.of());

        Invocation completed = function.invoke(handler, function.created(job.resultKey()));

        assertEquals("request-id-mismatch", completed.recordLog().path("reason").asText());
        assertFalse(function.exists("transcripts/" + KEY + ".json"));
        assertFalse(function.exists(job.resultKey()));
        assertEquals(job, pending(), "the awaited job is untouched");
    }

    @Test
    void givenAResultUnderAKeyNoJobHandedOut_whenCompleted_thenItIsDiscarded() {
        TranscribeHandler handler = handler();
        String forged = PREFIX + "results/" + PendingJobs.jobId(BUCKET, KEY) + "/1-forged.json";
        function.aws.put(BUCKET, forged, Fixtures.bytes("deepgram/listen-nova3-smartformat-file-preamble.json"), Map.of());

        Invocation completed = function.invoke(handler, function.created(forged));

        assertEquals("unknown-callback", completed.recordLog().path("reason").asText());
        assertFalse(function.exists(forged));
        assertFalse(function.exists("transcripts/" + KEY + ".json"));
    }

    @Test
    void givenTheAudioReplacedWhilePending_whenBothResultsArrive_thenOnlyTheNewUploadIsTranscribed() {
        function.deepgram.callbacks(CallbackResult.HELD, 1);
        TranscribeHandler handler = handler();
        function.invoke(handler, S3Events.objectCreated(function.upload(KEY, HELLO)));
        String firstResult = pending().resultKey();
        byte[] replacement = Fixtures.bytes("audio/two-speakers.wav");
        S3Notification.Upload second = function.upload(KEY, replacement);
        Invocation resubmitted = function.invoke(handler, S3Events.objectCreated(second));
        assertEquals("submitted", resubmitted.recordLog().path("outcome").asText(), "a new version is not a duplicate");
        String secondResult = pending().resultKey();

        function.deepgram.releaseHeldCallbacks();
        awaitDeliveries(2);
        Invocation stale = function.invoke(handler, function.created(firstResult));
        Invocation fresh = function.invoke(handler, function.created(secondResult));

        assertEquals("stale-callback", stale.recordLog().path("reason").asText());
        assertEquals("success", status(fresh.outcomes().get(0)));
        assertEquals(second.eTag(), function.head("transcripts/" + KEY + ".json").metadata().get("source-etag"));
    }

    @Test
    void givenTheAudioReplacedAndItsEventNotYetIn_whenTheOldResultArrives_thenNoTranscriptOfTheOldAudio() {
        function.deepgram.callbacks(CallbackResult.HELD, 1);
        TranscribeHandler handler = handler();
        function.invoke(handler, S3Events.objectCreated(function.upload(KEY, HELLO)));
        function.upload(KEY, Fixtures.bytes("audio/two-speakers.wav"));

        function.deepgram.releaseHeldCallbacks();
        Invocation completed = function.invoke(handler, function.created(awaitResult()));

        assertEquals("source-replaced", completed.recordLog().path("reason").asText());
        assertFalse(function.exists("transcripts/" + KEY + ".json"));
    }

    @Test
    void givenADuplicateUploadEvent_whileTheJobIsPending_thenItIsNotSubmittedTwice() {
        function.deepgram.callbacks(CallbackResult.HELD, 1);
        TranscribeHandler handler = handler();
        S3Notification.Upload upload = function.upload(KEY, HELLO);
        function.invoke(handler, S3Events.objectCreated(upload));

        Invocation duplicate = function.invoke(handler, S3Events.objectCreated(upload));

        assertEquals("already-submitted", duplicate.recordLog().path("reason").asText());
        assertEquals(1, function.deepgram.requests().size());
    }

    /**
     * Another delivery of the same upload submits between this one's look at the pending record
     * (nothing there) and its own record's write. The write is conditional on what the look saw, so
     * it fails and Deepgram is not asked again; a second look there would have overwritten the other
     * job and paid for the upload twice.
     */
    @Test
    void givenAConcurrentDeliverySubmitsAfterThisOneLooked_whenThisOneSubmits_thenItStopsAsAlreadySubmitted() {
        try (FaultyAwsProxy proxy = new FaultyAwsProxy(MotoServer.shared().endpoint())) {
            function.with("AWS_ENDPOINT_URL", proxy.environment().get("AWS_ENDPOINT_URL"));
            S3Notification.Upload upload = function.upload(KEY, HELLO);
            PendingJobs jobs = new PendingJobs(function.aws.s3(), BUCKET, PREFIX);
            PendingJob other = new PendingJob(BUCKET, KEY, upload.eTag().replace("\"", ""), Optional.empty(), Optional.of("other"),
                    clock.instant(), 1, jobs.newResultKey(BUCKET, KEY, 1), "nova-3", "other", java.util.Set.of(),
                    new AdmissionSlots.Slot(0, "other", clock.instant().plus(Duration.ofHours(1))));
            proxy.meanwhileAfterNext("GetObject", PREFIX + "pending/" + PendingJobs.jobId(BUCKET, KEY),
                    () -> assertTrue(jobs.create(other, Optional.empty())));

            Invocation invocation = function.invoke(handler(), S3Events.objectCreated(upload));

            assertNull(invocation.thrown());
            assertEquals("already-submitted", invocation.recordLog().path("reason").asText());
            assertEquals(0, function.deepgram.requests().size(), "the other delivery's job is the one paid for");
            assertEquals(other.resultKey(), pending().resultKey());
        }
    }

    @Test
    void givenDeepgramCannotFetchTheUrl_whenSubmittingByCallback_thenTheObjectIsStreamedUnderTheSameJob() {
        function.deepgram.callbacks(CallbackResult.HELD, 1);
        function.deepgram.enqueue(FakeDeepgram.json(400,
                "{\"err_code\":\"REMOTE_CONTENT_ERROR\",\"err_msg\":\"Could not fetch the remote content.\",\"request_id\":\"r-404\"}"));

        Invocation submitted = function.invoke(handler(), S3Events.objectCreated(function.upload(KEY, HELLO)));

        assertEquals("submitted", submitted.recordLog().path("outcome").asText());
        List<RecordedRequest> requests = function.deepgram.requests();
        assertEquals(2, requests.size());
        assertEquals(HELLO.length, requests.get(1).getBodySize());
        assertEquals(requests.get(0).getUrl().queryParameter("callback"), requests.get(1).getUrl().queryParameter("callback"),
                "one job: the streamed request delivers to the result URL its record names");
        assertTrue(requests.get(1).getUrl().queryParameter("callback").contains(pending().resultKey()));
        assertTrue(pending().requestId().isPresent());
    }

    @Test
    void givenAResultThatNeverComes_whenTheSweepRuns_thenItResubmitsOnceAndThenWritesACallbackTimeoutRecord() {
        function.deepgram.callbacks(CallbackResult.NEVER, 1);
        TranscribeHandler handler = handler();
        function.invoke(handler, S3Events.objectCreated(function.upload(KEY, HELLO)));
        CallbackSweepHandler sweep = sweep();

        Sweep early = runSweep(sweep);
        assertEquals(0, early.counts().get("overdue"), "nothing is overdue while the URL may still be used");

        clock.advance(Duration.ofMinutes(66));
        Sweep first = runSweep(sweep);
        assertEquals(1, first.counts().get("resubmitted"));
        assertEquals(2, pending().attempt());
        assertEquals(2, function.deepgram.requests().size());

        clock.advance(Duration.ofMinutes(66));
        Sweep second = runSweep(sweep);
        assertEquals(1, second.counts().get("givenUp"));
        JsonNode error = function.readJson("transcripts/" + KEY + ".error.json");
        assertEquals("callback-timeout", error.path("reason").asText());
        assertEquals(2, error.path("attempts").asInt());
        assertEquals(List.of(), function.keys(PREFIX + "pending/"));
        assertEquals(1, second.emf().stream().filter(l -> l.has("CallbackTimeouts")).count());
        assertEquals(2, function.deepgram.requests().size(), "no third paid request");
    }

    /**
     * S3 refuses the source for good (here a 400, as for an SSE-C object) by the time the sweep
     * resubmits: the job ends with an error record. The refusal used to escape the sweep, which then
     * stopped on that job in every run and never reached the ones after it.
     */
    @Test
    void givenTheSourceBecomesUnreadable_whenTheSweepResubmits_thenTheJobEndsWithAnErrorRecord() {
        try (FaultyAwsProxy proxy = new FaultyAwsProxy(MotoServer.shared().endpoint())) {
            function.with("AWS_ENDPOINT_URL", proxy.environment().get("AWS_ENDPOINT_URL"));
            function.deepgram.callbacks(CallbackResult.NEVER, 1);
            function.invoke(handler(), S3Events.objectCreated(function.upload(KEY, HELLO)));
            proxy.failS3("HeadObject", KEY, 400, "BadRequest", "The object was stored using a form of SSE-C");
            clock.advance(Duration.ofMinutes(66));

            Sweep sweep = runSweep(sweep());

            assertEquals(1, sweep.counts().get("overdue"));
            assertEquals("source-unreadable", function.readJson("transcripts/" + KEY + ".error.json").path("reason").asText());
            assertEquals(List.of(), function.keys(PREFIX + "pending/"));
            assertEquals(1, function.deepgram.requests().size(), "no second paid request");
        }
    }

    @Test
    void givenTheUrlExpiredBeforeDeepgramDelivered_whenTheSweepRuns_thenTheUploadIsSubmittedAgainAndCompleted() {
        // Deepgram's clock runs two hours ahead: every PUT finds the one-hour URL expired, as S3 would say.
        function.deepgram.callbackRetries(Duration.ofMillis(5), Clock.offset(Clock.systemUTC(), Duration.ofHours(2)));
        TranscribeHandler handler = handler();
        function.invoke(handler, S3Events.objectCreated(function.upload(KEY, HELLO)));
        awaitDeliveries(CallbackSender.MAX_TRIES);
        assertTrue(function.deepgram.callbackDeliveries().stream().allMatch(d -> d.status() == 403));
        assertFalse(function.exists(pending().resultKey()));

        function.deepgram.callbackRetries(Duration.ofMillis(5), Clock.systemUTC());
        clock.advance(Duration.ofMinutes(66));
        runSweep(sweep());
        Invocation completed = function.invoke(handler, function.created(awaitResult()));

        assertEquals("success", status(completed.outcomes().get(0)));
        assertTrue(function.exists("transcripts/" + KEY + ".json"));
    }

    @Test
    void givenServerErrorsOnSubmission_whenRetriesRunOut_thenLambdaRetriesAndTheRetryIsNotTakenForADuplicate() {
        for (int i = 0; i < 3; i++) {
            function.deepgram.enqueue(FakeDeepgram.json(503, "{\"err_code\":\"SERVICE_UNAVAILABLE\",\"err_msg\":\"Try again\"}"));
        }
        TranscribeHandler handler = handler();
        S3Notification.Upload upload = function.upload(KEY, HELLO);

        Invocation first = function.invoke(handler, S3Events.objectCreated(upload));
        assertNotNull(first.thrown(), "a transient failure makes Lambda retry the event");
        assertEquals(List.of(), function.keys(PREFIX), "no pending record and no slot survive a failed submission");
        Invocation retry = function.invoke(handler, S3Events.objectCreated(upload));

        assertNull(retry.thrown());
        assertEquals("submitted", retry.recordLog().path("outcome").asText());
    }

    @Test
    void givenRateLimitedSubmissions_whenRetriesRunOut_thenTheUploadWaitsInTheQueueWithoutALambdaRetry() {
        function.deepgram.callbacks(CallbackResult.HELD, 1);
        for (int i = 0; i < 3; i++) {
            function.deepgram.enqueue(FakeDeepgram.json(429, "{\"err_code\":\"TOO_MANY_REQUESTS\",\"err_msg\":\"Too many requests\"}"));
        }
        TranscribeHandler handler = handler();

        Invocation first = function.invoke(handler, S3Events.objectCreated(function.upload(KEY, HELLO)));

        assertNull(first.thrown(), "waiting spends none of Lambda's retries");
        assertEquals("queued", status(first.outcomes().get(0)));
        assertEquals("deepgram-rate-limited", first.recordLog().path("reason").asText());
        assertEquals(1, function.keys(PREFIX + "queue/").size());
        assertEquals(List.of(), function.keys(PREFIX + "slots/"), "the slot went back while the upload waits");

        Sweep sweep = runSweep(sweep());

        assertEquals(1, sweep.counts().get("admitted"));
        assertEquals(List.of(), function.keys(PREFIX + "queue/"));
        assertEquals(1, pending().attempt());
        assertTrue(sweep.emf().stream().anyMatch(l -> l.has("AdmissionWaitSeconds")));
    }

    @Test
    void givenASubmissionDeepgramRejects_thenAnErrorRecordAndNoPendingJob() {
        function.deepgram.enqueue(FakeDeepgram.fixture(400, "deepgram/error-400-corrupt-or-unsupported-audio.docs-example.json"));

        Invocation invocation = function.invoke(handler(), S3Events.objectCreated(function.upload(KEY, HELLO)));

        assertNull(invocation.thrown());
        assertEquals("deepgram-rejected", function.readJson("transcripts/" + KEY + ".error.json").path("reason").asText());
        assertEquals(List.of(), function.keys(PREFIX));
    }

    @Test
    void givenAutoDelivery_thenSmallFilesGoSyncAndLargeOnesOrForcedOnesByCallback() {
        function.with("DELIVERY", "auto").with("CALLBACK_MIN_BYTES", Integer.toString(HELLO.length));
        TranscribeHandler handler = handler();

        Invocation large = function.invoke(handler, S3Events.objectCreated(function.upload("incoming/large.wav", HELLO)));
        byte[] smaller = java.util.Arrays.copyOf(HELLO, HELLO.length - 2);
        Invocation small = function.invoke(handler, S3Events.objectCreated(function.upload("incoming/small.wav", smaller)));
        Invocation forced = function.invoke(handler, S3Events.objectCreated(
                function.upload("incoming/forced.wav", smaller, Map.of("dg-delivery", "callback"))));

        assertEquals("submitted", large.recordLog().path("outcome").asText());
        assertEquals("success", small.recordLog().path("outcome").asText());
        assertEquals("submitted", forced.recordLog().path("outcome").asText());
    }

    @Test
    void givenAnUploadUnderTheCallbackPrefix_thenItIsNeverTranscribed() {
        Invocation invocation = function.invoke(handler(), S3Events.objectCreated(function.upload(PREFIX + "pending/x.wav", HELLO)));

        assertEquals("callback-prefix", invocation.recordLog().path("reason").asText());
        assertEquals(0, function.deepgram.requests().size());
    }

    private TranscribeHandler handler() {
        return function.handler(clock);
    }

    private CallbackSweepHandler sweep() {
        return function.sweep(clock);
    }

    private record Sweep(Map<String, Object> counts, List<JsonNode> emf) {}

    private static Sweep runSweep(CallbackSweepHandler sweep) {
        try (StdoutCapture stdout = new StdoutCapture()) {
            Map<String, Object> counts = sweep.handleRequest(Map.of(), new TestContext(Duration.ofSeconds(60)));
            return new Sweep(counts, stdout.emfLines());
        }
    }

    private PendingJob pending() {
        return new PendingJobs(function.aws.s3(), BUCKET, PREFIX).find(BUCKET, KEY).orElseThrow();
    }


    /** Waits for the stand-in's PUT to land in moto, as S3 would then notify. */
    private String awaitResult() {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < until) {
            Optional<String> result = function.keys(PREFIX + "results/").stream().findFirst();
            if (result.isPresent()) {
                return result.get();
            }
            sleep();
        }
        throw new AssertionError("Deepgram's stand-in wrote no result within 10 s");
    }

    private void awaitDeliveries(int count) {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (function.deepgram.callbackDeliveries().size() < count) {
            if (System.nanoTime() > until) {
                throw new AssertionError("expected " + count + " callback deliveries, got " + function.deepgram.callbackDeliveries());
            }
            sleep();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String status(JsonNode emf) {
        return emf.path("Status").asText();
    }
}
