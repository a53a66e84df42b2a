package dev.deepgramlambda.transcribe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepgramlambda.config.ConfigException;
import dev.deepgramlambda.standin.FakeDeepgram;
import dev.deepgramlambda.standin.S3Notification;
import dev.deepgramlambda.testing.Fixtures;
import dev.deepgramlambda.testing.S3Events;
import dev.deepgramlambda.transcribe.FunctionHarness.Invocation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input and failures: each ends as an error record or a retried event, with a specific message. */
class TranscribeFailureTest {
    private static final byte[] HELLO = Fixtures.bytes("audio/hello-en.wav");
    @RegisterExtension
    final FunctionHarness function = new FunctionHarness();

    @Test
    void givenAnEmptyObject_whenNotified_thenAnErrorRecordIsWrittenAndDeepgramIsNotCalled() {
        S3Notification.Upload upload = function.upload("incoming/empty.wav", Fixtures.bytes("audio/empty.wav"));

        Invocation invocation = function.invoke(function.coldStart(), S3Events.objectCreated(upload));

        assertNull(invocation.thrown(), "a permanent failure returns normally so Lambda does not retry it");
        JsonNode error = function.readJson("transcripts/incoming/empty.wav.error.json");
        assertEquals("empty-object", error.path("reason").asText());
        assertEquals("the object is empty (0 bytes)", error.path("message").asText());
        assertEquals("incoming/empty.wav", error.path("source").path("key").asText());
        assertEquals(upload.eTag(), error.path("source").path("eTag").asText());
        assertEquals(0, error.path("attempts").asInt());
        assertEquals(0, function.deepgram.requests().size());
        assertEquals("failure", invocation.outcomes().get(0).path("Status").asText());
        assertEquals(List.of(), invocation.measurements(), "no Deepgram call, no Deepgram measurements");
    }

    @Test
    void givenAnObjectOverTheSizeLimit_whenNotified_thenTheErrorRecordStatesBothSizes() {
        function.with("MAX_AUDIO_BYTES", "1000");
        S3Notification.Upload upload = function.upload("incoming/big.wav", HELLO);

        function.invoke(function.coldStart(), S3Events.objectCreated(upload));

        JsonNode error = function.readJson("transcripts/incoming/big.wav.error.json");
        assertEquals("too-large", error.path("reason").asText());
        assertEquals("the object is " + HELLO.length + " bytes, over MAX_AUDIO_BYTES (1000)", error.path("message").asText());
    }

    @Test
    void givenAudioDeepgramCannotDecode_whenTranscribed_thenDeepgramsErrorIsRecordedInFull() {
        S3Notification.Upload upload = function.upload("incoming/noise.bin", Fixtures.bytes("audio/not-audio.bin"));

        Invocation invocation = function.invoke(function.coldStart(), S3Events.objectCreated(upload));

        assertNull(invocation.thrown());
        JsonNode error = function.readJson("transcripts/incoming/noise.bin.error.json");
        assertEquals("deepgram-rejected", error.path("reason").asText());
        assertEquals(400, error.path("httpStatus").asInt());
        assertEquals("Bad Request", error.path("deepgramErrorCode").asText());
        assertEquals("Bad Request: failed to process audio: corrupt or unsupported data", error.path("deepgramMessage").asText());
        assertEquals("uuid", error.path("deepgramRequestId").asText());
        assertEquals(1, error.path("attempts").asInt());
        assertFalse(function.exists("transcripts/incoming/noise.bin.json"));
    }

    @ParameterizedTest(name = "HTTP {0} is recorded as {1}")
    @CsvSource({"402, deepgram-payment-required, ASR_PAYMENT_REQUIRED", "403, deepgram-forbidden, FORBIDDEN",
            "413, deepgram-rejected, PAYLOAD_TOO_LARGE"})
    void givenDeepgramRefusesForGood_whenTranscribing_thenOneAttemptAndAnErrorRecord(int status, String reason, String code) {
        function.deepgram.enqueue(FakeDeepgram.json(status, "{\"err_code\":\"" + code + "\",\"err_msg\":\"refused\",\"request_id\":\"r-" + status + "\"}"));
        S3Notification.Upload upload = function.upload("incoming/hello.wav", HELLO);

        Invocation invocation = function.invoke(function.coldStart(), S3Events.objectCreated(upload));

        assertNull(invocation.thrown());
        JsonNode error = function.readJson("transcripts/incoming/hello.wav.error.json");
        assertEquals(reason, error.path("reason").asText());
        assertEquals(status, error.path("httpStatus").asInt());
        assertEquals(code, error.path("deepgramErrorCode").asText());
        assertEquals("r-" + status, error.path("deepgramRequestId").asText());
        assertEquals(1, function.deepgram.requests().size());
    }

    @ParameterizedTest(name = "metadata {0}={1} is refused")
    @CsvSource({"dg-language, english please", "dg-diarize, maybe", "dg-langauge, en", "dg-captions, ass"})
    void givenInvalidPerFileMetadata_whenNotified_thenAnErrorRecordExplainsItAndNothingIsSent(String name, String value) {
        S3Notification.Upload upload = function.upload("incoming/hello.wav", HELLO, Map.of(name, value));

        Invocation invocation = function.invoke(function.coldStart(), S3Events.objectCreated(upload));

        assertNull(invocation.thrown());
        JsonNode error = function.readJson("transcripts/incoming/hello.wav.error.json");
        assertEquals("invalid-metadata", error.path("reason").asText());
        assertTrue(error.path("message").asText().contains(name), error.toString());
        assertEquals(0, function.deepgram.requests().size());
    }

    @Test
    void givenDeepgramKeepsFailing_whenRetriesAreExhausted_thenTheHandlerThrowsAndWritesNoErrorRecord() {
        for (int i = 0; i < 3; i++) {
            function.deepgram.enqueue(FakeDeepgram.json(503, "{\"err_code\":\"SERVICE_UNAVAILABLE\",\"err_msg\":\"busy\"}"));
        }
        S3Notification.Upload upload = function.upload("incoming/hello.wav", HELLO);

        Invocation invocation = function.invoke(function.coldStart(), S3Events.objectCreated(upload));

        assertTrue(invocation.thrown() instanceof TranscriptionFailedException);
        assertTrue(invocation.thrown().getMessage().contains("HTTP 503"), invocation.thrown().getMessage());
        assertTrue(invocation.thrown().getMessage().contains("all 3 attempts failed"), invocation.thrown().getMessage());
        assertFalse(function.exists("transcripts/incoming/hello.wav.error.json"));
        assertEquals(3, function.deepgram.requests().size());
        JsonNode measured = invocation.measurements().get(0);
        assertEquals(2, measured.path("DeepgramRetries").asInt());
        assertFalse(measured.has("TranscriptionLatency"), "latency is a success metric");
        assertEquals("ERROR", invocation.recordLog().path("level").asText());
    }

    @Test
    void givenRateLimiting_whenItPasses_thenRateLimitHitsAreCounted() {
        function.deepgram.enqueue(FakeDeepgram.json(429, "{\"err_code\":\"TOO_MANY_REQUESTS\",\"err_msg\":\"slow down\"}"))
                .enqueue(FakeDeepgram.json(429, "{\"err_code\":\"TOO_MANY_REQUESTS\",\"err_msg\":\"slow down\"}"));
        S3Notification.Upload upload = function.upload("incoming/hello.wav", HELLO);

        Invocation invocation = function.invoke(function.coldStart(), S3Events.objectCreated(upload));

        assertNull(invocation.thrown());
        JsonNode measured = invocation.measurements().get(0);
        assertEquals(2, measured.path("RateLimitHits").asInt());
        assertEquals(2, measured.path("DeepgramRetries").asInt());
    }

    @Test
    void givenAnOpenCircuit_whenAnotherUploadArrives_thenItFailsFastWithoutCallingDeepgramAndIsRetriedLater() {
        function.with("DEEPGRAM_MAX_ATTEMPTS", "1").with("CIRCUIT_BREAKER_OPEN_SECONDS", "60");
        TranscribeHandler handler = function.coldStart();
        for (int i = 0; i < 5; i++) {
            function.deepgram.enqueue(FakeDeepgram.json(500, "{}"));
            function.invoke(handler, S3Events.objectCreated(function.upload("incoming/f" + i + ".wav", HELLO)));
        }

        Invocation invocation = function.invoke(handler, S3Events.objectCreated(function.upload("incoming/next.wav", HELLO)));

        assertTrue(invocation.thrown() instanceof TranscriptionFailedException);
        assertTrue(invocation.thrown().getMessage().contains("circuit breaker open"), invocation.thrown().getMessage());
        assertEquals(5, function.deepgram.requests().size());
        assertEquals("deepgram-circuit-open", invocation.recordLog().path("reason").asText());
    }

    @Test
    void givenThePrimaryKeyIsRevoked_whenAFallbackKeyExists_thenTheFallbackServesAndTheMetricAndLogSaySo() {
        function.aws.putSecret(FunctionHarness.SECRET,
                "{\"apiKey\": \"revoked\", \"fallbackApiKey\": \"" + FakeDeepgram.VALID_KEY + "\", \"keyId\": \"k-1\"}");
        S3Notification.Upload upload = function.upload("incoming/hello.wav", HELLO);

        Invocation invocation = function.invoke(function.coldStart(), S3Events.objectCreated(upload));

        assertNull(invocation.thrown());
        assertEquals(1, invocation.measurements().get(0).path("FallbackKeyUsed").asInt());
        assertEquals("fallback", invocation.recordLog().path("keySlot").asText());
        assertFalse(invocation.stdout().contains(FakeDeepgram.VALID_KEY));
    }

    @Test
    void givenNoKeyIsAccepted_whenTranscribing_thenTheEventIsRetriedRatherThanRecordedAsBadAudio() {
        function.aws.putSecret(FunctionHarness.SECRET, "revoked");
        S3Notification.Upload upload = function.upload("incoming/hello.wav", HELLO);

        Invocation invocation = function.invoke(function.coldStart(), S3Events.objectCreated(upload));

        assertTrue(invocation.thrown() instanceof TranscriptionFailedException);
        assertTrue(invocation.thrown().getMessage().contains("HTTP 401"), invocation.thrown().getMessage());
        assertFalse(function.exists("transcripts/incoming/hello.wav.error.json"));
    }

    @Test
    void givenTheSecretDoesNotExist_whenTranscribing_thenTheEventIsRetriedWithTheSecretNamed() {
        function.with("DEEPGRAM_SECRET_ID", "no/such/secret");
        S3Notification.Upload upload = function.upload("incoming/hello.wav", HELLO);

        Invocation invocation = function.invoke(function.coldStart(), S3Events.objectCreated(upload));

        assertTrue(invocation.thrown() instanceof TranscriptionFailedException);
        assertTrue(invocation.thrown().getMessage().contains("no/such/secret"), invocation.thrown().getMessage());
        assertEquals("unexpected-error", invocation.recordLog().path("reason").asText());
    }

    @Test
    void givenInvalidConfiguration_whenTheContainerStarts_thenEveryProblemIsNamed() {
        function.with("DEEPGRAM_SECRET_ID", "").with("AUDIO_SOURCE", "ftp").with("DEEPGRAM_OPTIONS", "callback=https://x.example")
                .with("DEEPGRAM_MAX_ATTEMPTS", "0");

        Executable coldStart = function::coldStart;
        ConfigException error = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, coldStart);

        assertEquals(List.of(
                "DEEPGRAM_SECRET_ID is required",
                "DEEPGRAM_MAX_ATTEMPTS must be between 1 and 10, got 0",
                "DEEPGRAM_OPTIONS: 'callback' cannot be set in options: it is set by the function or unsupported",
                "AUDIO_SOURCE must be one of [url, stream], got 'ftp'"), error.problems());
    }
}
