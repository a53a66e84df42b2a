package dev.deepgramlambda.transcribe;

import static dev.deepgramlambda.transcribe.FunctionHarness.BUCKET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepgramlambda.outputs.OutputNames;
import dev.deepgramlambda.standin.FakeDeepgram;
import dev.deepgramlambda.standin.S3Notification;
import dev.deepgramlambda.testing.Fixtures;
import dev.deepgramlambda.testing.S3Events;
import dev.deepgramlambda.testing.StdoutCapture;
import dev.deepgramlambda.transcribe.FunctionHarness.Invocation;
import java.util.List;
import java.util.Map;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** TranscribeFunction end to end: S3 event in, transcript in S3 out, with moto and a Deepgram stand-in. */
class TranscribeHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] HELLO = Fixtures.bytes("audio/hello-en.wav");
    @RegisterExtension
    final FunctionHarness function = new FunctionHarness();

    @Test
    void givenAnUpload_whenTranscribedInUrlMode_thenDeepgramFetchesThePresignedUrlAndBothTranscriptsAreWritten() throws Exception {
        S3Notification.Upload upload = function.upload("incoming/hello.wav", HELLO);

        Invocation invocation = function.invoke(function.coldStart(), S3Events.objectCreated(upload));

        assertNull(invocation.thrown());
        RecordedRequest request = function.deepgram.takeRequest();
        assertTrue(request.getHeaders().get("Content-Type").startsWith("application/json"));
        String url = JSON.readTree(request.getBody().utf8()).path("url").asText();
        assertTrue(url.contains("/" + BUCKET + "/incoming/hello.wav?") && url.contains("X-Amz-Signature="), url);
        assertEquals("nova-3", request.getUrl().queryParameter("model"));
        assertEquals("true", request.getUrl().queryParameter("smart_format"));
        assertEquals("s3/audio-bucket/incoming/hello.wav", request.getUrl().queryParameter("tag"));

        assertEquals(Fixtures.text("deepgram/listen-nova3-smartformat-file-preamble.json"),
                function.read("transcripts/incoming/hello.wav.json"), "Deepgram's response is stored byte for byte");
        String text = function.read("transcripts/incoming/hello.wav.txt");
        assertTrue(text.startsWith("We, the people of The United States, in order to form a more perfect union,"), text);
        HeadObjectResponse head = function.head("transcripts/incoming/hello.wav.json");
        assertEquals(Map.of(
                "source-bucket", BUCKET,
                "source-key", "incoming%2Fhello.wav",
                "source-key-sha256", OutputNames.sha256Hex("incoming/hello.wav"),
                "source-etag", upload.eTag(),
                "source-options-sha256", OutputNames.sha256Hex(""),
                "deepgram-tag", "s3/audio-bucket/incoming/hello.wav",
                "deepgram-request-id", "e33264a5-a72f-486f-99a1-85c630fa0191",
                "model", "general-nova-3",
                "audio-duration-seconds", "19.097937"), head.metadata());
    }

    @Test
    void givenASuccess_whenMetricsAreEmitted_thenTheEmfLinesMatchTheContractExactly() {
        S3Notification.Upload upload = function.upload("incoming/hello.wav", HELLO);

        Invocation invocation = function.invoke(function.coldStart(), S3Events.objectCreated(upload));

        assertEquals(2, invocation.emf().size(), "one outcome line and one measurement line per record");
        JsonNode outcome = invocation.outcomes().get(0);
        JsonNode outcomeDirective = outcome.path("_aws").path("CloudWatchMetrics").get(0);
        assertEquals("DeepgramTranscription", outcomeDirective.path("Namespace").asText());
        assertEquals("[[\"Service\"],[\"Service\",\"Status\"]]", outcomeDirective.path("Dimensions").toString());
        assertEquals("[{\"Name\":\"Transcriptions\",\"Unit\":\"Count\"}]", outcomeDirective.path("Metrics").toString());
        assertEquals("test-stack", outcome.path("Service").asText());
        assertEquals("success", outcome.path("Status").asText());
        assertEquals(1, outcome.path("Transcriptions").asInt());

        JsonNode measured = invocation.measurements().get(0);
        JsonNode directive = measured.path("_aws").path("CloudWatchMetrics").get(0);
        assertEquals("DeepgramTranscription", directive.path("Namespace").asText());
        assertEquals("[[\"Service\"]]", directive.path("Dimensions").toString());
        assertEquals(Map.of("RateLimitHits", "Count", "DeepgramRetries", "Count", "FallbackKeyUsed", "Count",
                "TranscriptionLatency", "Milliseconds", "AudioSecondsProcessed", "Seconds"), StdoutCapture.metricUnits(measured));
        assertEquals(0, measured.path("RateLimitHits").asInt());
        assertEquals(0, measured.path("DeepgramRetries").asInt());
        assertEquals(19.097937, measured.path("AudioSecondsProcessed").asDouble());
        assertTrue(measured.path("TranscriptionLatency").asDouble() >= 0);
        assertFalse(measured.has("LogGroup") || measured.has("ServiceName") || measured.has("ServiceType"));
    }

    @Test
    void givenASuccess_whenLogged_thenOneJsonLineNamesTheRecordButNeverTheKeySignatureOrTranscript() {
        S3Notification.Upload upload = function.upload("incoming/hello.wav", HELLO);

        Invocation invocation = function.invoke(function.coldStart(), S3Events.objectCreated(upload));

        JsonNode log = invocation.recordLog();
        assertEquals("INFO", log.path("level").asText());
        assertFalse(log.path("requestId").asText().isEmpty());
        assertEquals(BUCKET, log.path("bucket").asText());
        assertEquals("incoming/hello.wav", log.path("key").asText());
        assertEquals("success", log.path("outcome").asText());
        assertEquals("e33264a5-a72f-486f-99a1-85c630fa0191", log.path("deepgramRequestId").asText());
        assertEquals("primary", log.path("keySlot").asText());
        assertEquals(1, log.path("attempts").asInt());
        assertFalse(invocation.stdout().contains(FakeDeepgram.VALID_KEY), "API key leaked to the logs");
        assertFalse(invocation.stdout().contains("X-Amz-Signature"), "presigned URL leaked to the logs");
        assertFalse(invocation.stdout().contains("more perfect union"), "transcript text leaked to the logs");
    }

    @Test
    void givenStreamMode_whenTranscribed_thenTheObjectBytesAreTheRequestBody() {
        function.with("AUDIO_SOURCE", "stream");
        S3Notification.Upload upload = function.upload("incoming/hello.wav", HELLO);

        Invocation invocation = function.invoke(function.coldStart(), S3Events.objectCreated(upload));

        assertNull(invocation.thrown());
        RecordedRequest request = function.deepgram.takeRequest();
        assertEquals(HELLO.length, request.getBodySize());
        assertEquals("application/octet-stream", request.getHeaders().get("Content-Type"));
        assertTrue(function.exists("transcripts/incoming/hello.wav.json"));
    }

    @Test
    void givenDeepgramCannotFetchTheUrl_whenTranscribing_thenTheObjectIsStreamedOnceInstead() {
        function.deepgram.enqueue(FakeDeepgram.json(400,
                "{\"err_code\":\"REMOTE_CONTENT_ERROR\",\"err_msg\":\"Could not fetch the remote content.\",\"request_id\":\"r-404\"}"));
        S3Notification.Upload upload = function.upload("incoming/hello.wav", HELLO);

        Invocation invocation = function.invoke(function.coldStart(), S3Events.objectCreated(upload));

        assertNull(invocation.thrown());
        List<RecordedRequest> requests = function.deepgram.requests();
        assertEquals(2, requests.size());
        assertTrue(requests.get(0).getHeaders().get("Content-Type").startsWith("application/json"));
        assertEquals(HELLO.length, requests.get(1).getBodySize());
        assertTrue(function.exists("transcripts/incoming/hello.wav.json"));
        assertTrue(invocation.logs().stream().anyMatch(l -> l.path("message").asText().contains("streaming the object instead")));
    }

    @Test
    void givenKeysWithPlusPercentAndNonAsciiCharacters_whenNotified_thenTheyAreDecodedExactly() {
        String key = "incoming/Réunion d'été +notes 100%.wav";
        S3Notification.Upload upload = function.upload(key, HELLO);

        Invocation invocation = function.invoke(function.coldStart(), S3Events.objectCreated(upload));

        assertNull(invocation.thrown());
        assertTrue(function.exists("transcripts/" + key + ".json"));
        assertTrue(function.exists("transcripts/" + key + ".txt"));
        assertEquals(key, invocation.recordLog().path("key").asText());
    }

    @Test
    void givenPerFileMetadata_whenTranscribing_thenLanguageAndDiarizationOverrideTheDefaults() {
        function.with("DEEPGRAM_OPTIONS", "smart_format=true&diarize=false");
        S3Notification.Upload upload = function.upload("incoming/hola.wav", Fixtures.bytes("audio/hola-es.wav"),
                Map.of("dg-language", "es", "dg-diarize", "TRUE"));

        function.invoke(function.coldStart(), S3Events.objectCreated(upload));

        RecordedRequest request = function.deepgram.takeRequest();
        assertEquals("es", request.getUrl().queryParameter("language"));
        assertEquals(List.of("true"), request.getUrl().queryParameterValues("diarize"));
    }

    @Test
    void givenADiarizedResponse_whenWritten_thenTheTextTranscriptHasSpeakerLabels() {
        function.deepgram.respondWith("deepgram/listen-diarize-utterances-paragraphs-2speakers.json");
        S3Notification.Upload upload = function.upload("incoming/two.wav", Fixtures.bytes("audio/two-speakers.wav"));

        function.invoke(function.coldStart(), S3Events.objectCreated(upload));

        String text = function.read("transcripts/incoming/two.wav.txt");
        assertTrue(text.startsWith("Speaker 0: And, Jessica, Christina, we are so proud of you."), text);
        assertTrue(text.contains("\n\nSpeaker 1: Drew, thank you so much."), text);
    }

    @Test
    void givenTheSameUploadDeliveredTwice_whenProcessed_thenDeepgramIsCalledOnceAndTheSecondIsSkipped() {
        S3Notification.Upload upload = function.upload("incoming/hello.wav", HELLO);
        TranscribeHandler handler = function.coldStart();

        function.invoke(handler, S3Events.objectCreated(upload));
        Invocation second = function.invoke(handler, S3Events.objectCreated(upload));

        assertEquals(1, function.deepgram.requests().size());
        assertEquals("skipped", second.outcomes().get(0).path("Status").asText());
        assertEquals("already-transcribed", second.recordLog().path("reason").asText());
    }

    @Test
    void givenTheSameKeyOverwrittenWithNewAudio_whenNotified_thenItIsTranscribedAgain() {
        TranscribeHandler handler = function.coldStart();
        function.invoke(handler, S3Events.objectCreated(function.upload("incoming/hello.wav", HELLO)));

        S3Notification.Upload replaced = function.upload("incoming/hello.wav", Fixtures.bytes("audio/hola-es.wav"));
        function.invoke(handler, S3Events.objectCreated(replaced));

        assertEquals(2, function.deepgram.requests().size());
        assertEquals(replaced.eTag(), function.head("transcripts/incoming/hello.wav.json").metadata().get("source-etag"));
    }

    @Test
    void givenAnS3TestEvent_whenInvoked_thenItIsAcknowledgedWithoutMetricsOrDeepgramCalls() {
        Invocation invocation = function.invoke(function.coldStart(), S3Events.testEvent());

        assertNull(invocation.thrown());
        assertEquals(0, function.deepgram.requests().size());
        assertEquals(List.of(), invocation.emf());
        assertTrue(invocation.logs().get(0).path("message").asText().contains("acknowledged and ignored"));
    }

    @Test
    void givenAnObjectUnderTheOutputPrefix_whenNotified_thenItIsRefusedToPreventALoop() {
        S3Notification.Upload upload = function.upload("transcripts/incoming/hello.wav.json", "{}".getBytes());

        Invocation invocation = function.invoke(function.coldStart(), S3Events.objectCreated(upload));

        assertNull(invocation.thrown());
        assertEquals(0, function.deepgram.requests().size());
        assertEquals("output-prefix", invocation.recordLog().path("reason").asText());
        assertEquals("skipped", invocation.outcomes().get(0).path("Status").asText());
    }

    @Test
    void givenTheObjectWasDeletedBeforeProcessing_whenNotified_thenItIsSkippedAndNotRetried() {
        S3Notification.Upload upload = function.upload("incoming/gone.wav", HELLO);
        function.aws.s3().deleteObject(r -> r.bucket(BUCKET).key("incoming/gone.wav"));

        Invocation invocation = function.invoke(function.coldStart(), S3Events.objectCreated(upload));

        assertNull(invocation.thrown(), "throwing would make Lambda retry a file that no longer exists");
        assertEquals("object-deleted", invocation.recordLog().path("reason").asText());
        assertEquals(0, function.deepgram.requests().size());
    }

    @Test
    void givenSeveralRecordsWithOneFailingTransiently_whenProcessed_thenEveryRecordIsAttemptedAndTheEventIsRetried() {
        S3Notification.Upload first = function.upload("incoming/a.wav", HELLO);
        S3Notification.Upload second = function.upload("incoming/b.wav", HELLO);
        S3Notification.Upload third = function.upload("incoming/c.wav", HELLO);
        function.with("DEEPGRAM_MAX_ATTEMPTS", "1");
        TranscribeHandler handler = function.coldStart();
        function.deepgram.enqueue(FakeDeepgram.fixture(200, "deepgram/listen-nova3-smartformat-file-preamble.json"))
                .enqueue(FakeDeepgram.json(503, "{\"err_code\":\"SERVICE_UNAVAILABLE\",\"err_msg\":\"busy\"}"));

        Invocation invocation = function.invoke(handler, S3Events.objectCreated(first, second, third));

        assertTrue(invocation.thrown() instanceof TranscriptionFailedException, String.valueOf(invocation.thrown()));
        assertTrue(invocation.thrown().getMessage().contains("incoming/b.wav"));
        assertFalse(invocation.thrown().getMessage().contains("incoming/a.wav"));
        assertTrue(function.exists("transcripts/incoming/a.wav.json"));
        assertFalse(function.exists("transcripts/incoming/b.wav.json"));
        assertFalse(function.exists("transcripts/incoming/b.wav.error.json"), "a transient failure is retried, not recorded");
        assertTrue(function.exists("transcripts/incoming/c.wav.json"));
        assertEquals(List.of("success", "failure", "success"),
                invocation.outcomes().stream().map(l -> l.path("Status").asText()).toList());

        Invocation retry = function.invoke(handler, S3Events.objectCreated(first, second, third));
        assertNull(retry.thrown());
        assertEquals(List.of("skipped", "success", "skipped"),
                retry.outcomes().stream().map(l -> l.path("Status").asText()).toList());
    }
}
