package dev.deepgramlambda.transcribe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepgramlambda.config.ConfigException;
import dev.deepgramlambda.testing.Fixtures;
import dev.deepgramlambda.testing.S3Events;
import dev.deepgramlambda.testing.StdoutCapture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The SnapStart hooks against moto_server and the Deepgram stand-in, which see every call the
 * function's own clients make: priming calls neither, reads no secret and leaves no connection;
 * afterRestore makes the next invocation open a fresh Deepgram connection.
 */
class TranscribePrimingTest {
    @RegisterExtension
    final FunctionHarness function = new FunctionHarness();
    private final byte[] audio = Fixtures.bytes("audio/hello-en.wav");

    @Test
    void givenSnapStart_whenTheHandlerIsBuilt_thenNothingIsPrimedUntilTheCheckpoint() {
        try (StdoutCapture stdout = new StdoutCapture()) {
            handler("snap-start");
            assertTrue(stdout.logLines().stream().noneMatch(l -> l.path("message").asText().startsWith("Primed")), stdout.text());
        }
    }

    @Test
    void givenSnapStart_whenBeforeCheckpointRuns_thenNoAwsCallNoSecretNoDeepgramCallAndNoConnectionIsLeft() {
        TranscribeHandler handler = handler("snap-start");

        handler.priming.orElseThrow().beforeCheckpoint(null);

        assertEquals(Map.of(), function.awsCalls(), "AWS calls made by the function's own clients while priming");
        assertEquals(0, function.deepgram.requests().size(), "Deepgram requests while priming");
        assertEquals(0, function.deepgram.connectionCount(), "connections to Deepgram while priming");
    }

    @Test
    void givenAPrimedSnapshot_whenTheFirstUploadArrives_thenTheRealSecretIsReadThenAndTheTranscriptIsTheRealOne() {
        TranscribeHandler handler = handler("snap-start");
        handler.priming.orElseThrow().beforeCheckpoint(null);
        handler.priming.orElseThrow().afterRestore(null);

        assertNull(function.invoke(handler, S3Events.objectCreated(function.upload("incoming/first.wav", audio))).thrown());

        assertEquals(1, function.getSecretValueCalls(), "the secret is read at the first invocation");
        JsonNode transcript = function.readJson("transcripts/incoming/first.wav.json");
        assertTrue(transcript.path("results").has("channels"));
        assertEquals("s3/" + FunctionHarness.BUCKET + "/incoming/first.wav", function.head("transcripts/incoming/first.wav.json")
                .metadata().get("deepgram-tag"), "nothing of the priming upload leaks into a real transcript");
    }

    @Test
    void givenAPooledDeepgramConnection_whenAfterRestoreRuns_thenTheNextInvocationOpensAFreshOne() {
        TranscribeHandler handler = handler("snap-start");
        assertNull(function.invoke(handler, S3Events.objectCreated(function.upload("incoming/a.wav", audio))).thrown());
        assertNull(function.invoke(handler, S3Events.objectCreated(function.upload("incoming/b.wav", audio))).thrown());
        assertEquals(1, function.deepgram.connectionCount(), "a warm container reuses its connection");

        handler.priming.orElseThrow().afterRestore(null);
        assertNull(function.invoke(handler, S3Events.objectCreated(function.upload("incoming/c.wav", audio))).thrown());

        assertEquals(2, function.deepgram.connectionCount(), "after a restore the pooled connection is not reused");
    }

    @Test
    void givenAnOnDemandColdStart_whenTheHandlerIsBuilt_thenItPrimesDuringInitWithoutCallingAnything() {
        try (StdoutCapture stdout = new StdoutCapture()) {
            handler("on-demand");
            List<JsonNode> primed = stdout.logLines().stream()
                    .filter(l -> l.path("message").asText().equals("Primed during init")).toList();
            assertEquals(1, primed.size(), stdout.text());
            assertEquals("TranscribePriming", primed.get(0).path("primer").asText());
        }
        assertEquals(Map.of(), function.awsCalls());
        assertEquals(0, function.deepgram.requests().size());
    }

    @Test
    void givenPrimingDuringInitTurnedOff_whenTheHandlerIsBuilt_thenNothingIsPrimed() {
        function.with("PRIME_DURING_INIT", "false");
        try (StdoutCapture stdout = new StdoutCapture()) {
            handler("on-demand");
            assertTrue(stdout.logLines().stream().noneMatch(l -> l.path("message").asText().startsWith("Primed")), stdout.text());
        }
    }

    @Test
    void givenAPrimingSwitchThatIsNeitherTrueNorFalse_whenTheHandlerIsBuilt_thenStartingFailsNamingIt() {
        function.with("PRIME_DURING_INIT", "sometimes");
        ConfigException failure = assertThrows(ConfigException.class, () -> handler("on-demand"));
        assertTrue(failure.getMessage().contains("PRIME_DURING_INIT must be one of [true, false], got 'sometimes'"), failure.getMessage());
    }

    /** A handler as Lambda builds it for this kind of init; the harness counts its clients' SDK calls. */
    private TranscribeHandler handler(String initializationType) {
        return function.with("AWS_LAMBDA_INITIALIZATION_TYPE", initializationType).coldStart();
    }
}
