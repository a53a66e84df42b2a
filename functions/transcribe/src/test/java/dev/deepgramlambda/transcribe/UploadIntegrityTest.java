package dev.deepgramlambda.transcribe;

import static dev.deepgramlambda.transcribe.FunctionHarness.BUCKET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepgramlambda.outputs.OutputNames;
import dev.deepgramlambda.standin.FakeDeepgram;
import dev.deepgramlambda.standin.MotoServer;
import dev.deepgramlambda.standin.S3Notification;
import dev.deepgramlambda.testing.FaultyAwsProxy;
import dev.deepgramlambda.testing.Fixtures;
import dev.deepgramlambda.testing.S3Events;
import dev.deepgramlambda.transcribe.FunctionHarness.Invocation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 10, items 2, 3, 4 and 10: every upload ends as its own transcript or error record, never
 * as another upload's, never lost to a name S3 refuses, never overwritten by an older result, and
 * billed once however often S3 delivers it.
 */
class UploadIntegrityTest {
    private static final byte[] HELLO = Fixtures.bytes("audio/hello-en.wav");
    private static final byte[] NOT_AUDIO = Fixtures.bytes("audio/not-audio.bin");
    private static final OutputNames NAMES = new OutputNames("transcripts/");

    @RegisterExtension
    final FunctionHarness function = new FunctionHarness();

    /** Item 2: {@code a}'s error record was the same object as {@code a.error}'s transcript, and the idempotency check then skipped {@code a.error}. */
    @Test
    void givenKeysAAndAErrorWithTheSameBytes_whenBothFail_thenEachGetsItsOwnErrorRecord() {
        TranscribeHandler handler = function.coldStart();
        S3Notification.Upload a = function.upload("incoming/a", NOT_AUDIO);
        S3Notification.Upload aError = function.upload("incoming/a.error", NOT_AUDIO);

        assertNull(function.invoke(handler, S3Events.objectCreated(a)).thrown());
        Invocation second = function.invoke(handler, S3Events.objectCreated(aError));

        assertNull(second.thrown());
        assertEquals("failure", second.recordLog().path("outcome").asText(), "a.error was transcribed, not skipped");
        assertEquals(2, function.deepgram.requests().size());
        assertEquals("incoming/a", function.readJson(NAMES.error("incoming/a")).path("source").path("key").asText());
        assertEquals("incoming/a.error", function.readJson(NAMES.error("incoming/a.error")).path("source").path("key").asText());
        assertFalse(NAMES.error("incoming/a").equals(NAMES.transcript("incoming/a.error")));
    }

    /** Item 2: the naming rule is injective on keys built to collide. */
    @ParameterizedTest(name = "{0} and {1}")
    @CsvSource({"a,a.error", "a~,a", "a.error~,a.error", "a.error,a.error~", "x/a.error.json,x/a.error"})
    void givenTwoDifferentKeys_whenNamed_thenNoOutputNameIsShared(String first, String second) {
        List<String> names = java.util.stream.Stream.of(first, second).flatMap(key -> java.util.stream.Stream.of(
                NAMES.transcript(key), NAMES.output(key, ".txt"), NAMES.output(key, ".srt"), NAMES.output(key, ".vtt"),
                NAMES.error(key), NAMES.claim(key))).toList();
        assertEquals(names.size(), names.stream().distinct().count(), names.toString());
    }

    /** Item 3: an output name over S3's 1024 bytes made every write fail with a 400 that Lambda retried (and Deepgram billed again). */
    @Test
    void givenAKeyWhoseOutputNamesWouldPassS3sLimit_whenTranscribed_thenABoundedNameHoldsTheTranscriptOnce() {
        String key = "incoming/" + "é".repeat(400) + "x".repeat(200) + ".wav";
        assertTrue(key.getBytes(StandardCharsets.UTF_8).length <= 1024 && NAMES.shortened(key));
        TranscribeHandler handler = function.coldStart();
        S3Notification.Upload upload = function.upload(key, HELLO);

        Invocation first = function.invoke(handler, S3Events.objectCreated(upload));
        Invocation duplicate = function.invoke(handler, S3Events.objectCreated(upload));

        assertNull(first.thrown());
        assertEquals("success", first.recordLog().path("outcome").asText());
        String name = NAMES.transcript(key);
        assertTrue(name.getBytes(StandardCharsets.UTF_8).length <= OutputNames.MAX_KEY_BYTES, name);
        assertEquals(OutputNames.sha256Hex(key), function.head(name).metadata().get(TranscriptWriter.SOURCE_KEY_SHA256));
        assertEquals("already-transcribed", duplicate.recordLog().path("reason").asText());
        assertEquals(1, function.deepgram.requests().size(), "billed once");
    }

    /** Item 4: two concurrent deliveries of one upload (two containers) called Deepgram twice. */
    @Test
    void givenTwoConcurrentDeliveriesOfOneUpload_whenBothRun_thenDeepgramIsCalledOnce() throws Exception {
        S3Notification.Upload upload = function.upload("incoming/hello.wav", HELLO);
        function.deepgram.enqueue(new MockResponse.Builder().headersDelay(1, TimeUnit.SECONDS).code(200)
                .body(Fixtures.text("deepgram/listen-nova3-smartformat-file-preamble.json")).build());
        TranscribeHandler containerA = function.coldStart();
        TranscribeHandler containerB = function.coldStart();

        CompletableFuture<Invocation> a = CompletableFuture.supplyAsync(() -> function.invoke(containerA, S3Events.objectCreated(upload)));
        Thread.sleep(300);
        Invocation b = function.invoke(containerB, S3Events.objectCreated(upload));

        assertNull(a.get(30, TimeUnit.SECONDS).thrown());
        assertNull(b.thrown());
        assertEquals("in-progress", b.recordLog().path("reason").asText());
        assertEquals(1, function.deepgram.requests().size());
        assertTrue(function.exists(NAMES.transcript("incoming/hello.wav")));
        assertFalse(function.exists(NAMES.claim("incoming/hello.wav")), "the claim is released");
    }

    /** Item 4: an upload replaced while the first was with Deepgram; the older result landed last and overwrote the newer. */
    @Test
    void givenTheKeyIsUploadedAgainWhileDeepgramWorks_whenTheOlderResultArrivesLast_thenTheNewerTranscriptStays() throws Exception {
        S3Notification.Upload older = function.upload("incoming/talk.wav", HELLO);
        function.deepgram.enqueue(new MockResponse.Builder().headersDelay(2, TimeUnit.SECONDS).code(200)
                .body(Fixtures.text("deepgram/listen-nova3-smartformat-file-preamble.json")).build());
        TranscribeHandler containerA = function.coldStart();
        CompletableFuture<Invocation> first = CompletableFuture.supplyAsync(() -> function.invoke(containerA, S3Events.objectCreated(older)));
        Thread.sleep(500);
        byte[] newerBytes = Fixtures.bytes("audio/two-speakers.wav");
        S3Notification.Upload newer = function.upload("incoming/talk.wav", newerBytes);

        Invocation second = function.invoke(function.coldStart(), S3Events.objectCreated(newer));
        Invocation late = first.get(30, TimeUnit.SECONDS);

        assertNull(second.thrown());
        assertNull(late.thrown());
        assertEquals("source-replaced", late.recordLog().path("reason").asText());
        assertEquals(newer.eTag(), function.head(NAMES.transcript("incoming/talk.wav")).metadata().get(TranscriptWriter.SOURCE_ETAG));
        assertEquals(newer.eTag(), function.head(NAMES.output("incoming/talk.wav", ".txt")).metadata().get(TranscriptWriter.SOURCE_ETAG));
    }

    /**
     * Item 4: the transcript's conditional write landed but S3's answer was lost, so the SDK sent it
     * again and S3 said 412. That was taken for a newer upload's transcript ("superseded"), with the
     * transcript in place and a stale error record left beside it.
     */
    @Test
    void givenS3LosesItsAnswerToTheTranscriptWrite_whenTheSdkSendsItAgain_thenThe412IsKnownAsOurOwnWrite() {
        try (FaultyAwsProxy proxy = new FaultyAwsProxy(MotoServer.shared().endpoint())) {
            function.with("AWS_ENDPOINT_URL", proxy.environment().get("AWS_ENDPOINT_URL"));
            S3Notification.Upload upload = function.upload("incoming/lost-answer.wav", HELLO);
            proxy.loseNextAnswer("PutObject", NAMES.transcript("incoming/lost-answer.wav"));

            Invocation invocation = function.invoke(function.coldStart(), S3Events.objectCreated(upload));

            assertEquals(1, proxy.injectedFaults("PutObject"), "the answer was lost once");
            assertEquals("transcribed", invocation.recordLog().path("reason").asText());
            assertEquals(upload.eTag(), function.head(NAMES.transcript("incoming/lost-answer.wav")).metadata().get(TranscriptWriter.SOURCE_ETAG));
            assertEquals(1, function.deepgram.requests().size());
        }
    }

    /** Item 10: the same bytes uploaded again with other dg-* options were skipped as already transcribed. */
    @Test
    void givenTheSameBytesUploadedAgainWithAnotherLanguage_whenDelivered_thenTheyAreTranscribedAgainWithThatLanguage() {
        TranscribeHandler handler = function.coldStart();
        S3Notification.Upload english = function.upload("incoming/hola.wav", HELLO, java.util.Map.of("dg-language", "en"));
        assertNull(function.invoke(handler, S3Events.objectCreated(english)).thrown());
        S3Notification.Upload spanish = function.upload("incoming/hola.wav", HELLO, java.util.Map.of("dg-language", "es"));
        assertEquals(english.eTag(), spanish.eTag(), "same bytes, same ETag");

        Invocation again = function.invoke(handler, S3Events.objectCreated(spanish));
        Invocation redelivered = function.invoke(handler, S3Events.objectCreated(spanish));

        assertEquals("success", again.recordLog().path("outcome").asText());
        assertEquals("already-transcribed", redelivered.recordLog().path("reason").asText(), "the same request is still idempotent");
        assertEquals(List.of("en", "es"), function.deepgram.requests().stream()
                .map(r -> r.getUrl().queryParameter("language")).toList());
    }

    /** Item 10: an archived object is refused by every GET however often Lambda retries; it gets an error record and Deepgram is not called. */
    @Test
    void givenAnObjectInGlacier_whenDelivered_thenAnErrorRecordSaysSoAndDeepgramIsNotCalled() {
        function.aws.s3().putObject(r -> r.bucket(BUCKET).key("incoming/old.wav").storageClass("GLACIER"),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(HELLO));
        S3Notification.Upload upload = S3Notification.Upload.of(BUCKET, "incoming/old.wav", HELLO.length,
                function.head("incoming/old.wav").eTag().replace("\"", ""));

        Invocation invocation = function.invoke(function.coldStart(), S3Events.objectCreated(upload));

        assertNull(invocation.thrown(), "not retried: no retry restores an archived object");
        assertEquals("source-archived", function.readJson(NAMES.error("incoming/old.wav")).path("reason").asText());
        assertEquals(0, function.deepgram.requests().size());
    }

    /** Item 10: S3 refusals no retry can fix (SSE-C, a KMS key we may not use, an archive) became transient failures that paged. */
    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
            "HeadObject, 400, BadRequest, source-unreadable",
            "GetObject, 403, InvalidObjectState, source-archived",
            "GetObject, 403, AccessDenied, source-kms-access-denied"})
    void givenS3RefusesTheSourcePermanently_whenDelivered_thenAnErrorRecordIsWrittenInsteadOfARetry(
            String operation, int status, String code, String reason) {
        try (FaultyAwsProxy proxy = new FaultyAwsProxy(MotoServer.shared().endpoint())) {
            function.with("AWS_ENDPOINT_URL", proxy.environment().get("AWS_ENDPOINT_URL")).with("AUDIO_SOURCE", "stream");
            S3Notification.Upload upload = function.upload("incoming/locked.wav", HELLO);
            proxy.failS3(operation, "incoming/locked.wav", status, code, "The ciphertext refers to a customer master key that does not exist,"
                    + " or you do not have access (KMS)");

            Invocation invocation = function.invoke(function.coldStart(), S3Events.objectCreated(upload));

            assertNull(invocation.thrown());
            assertEquals(reason, function.readJson(NAMES.error("incoming/locked.wav")).path("reason").asText());
        }
    }
}
