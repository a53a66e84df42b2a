package dev.deepgramlambda.deepgram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepgramlambda.testing.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Deepgram's error bodies as its documentation prints them (fixtures), in all three shapes. */
class ErrorResponseTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void givenTheLegacyShape_whenParsed_thenCodeMessageAndRequestIdAreRead() {
        DeepgramException e = ErrorResponse.toException(400,
                Fixtures.text("deepgram/error-400-corrupt-or-unsupported-audio.docs-example.json"), null, false);

        assertEquals(DeepgramException.Kind.REJECTED, e.kind());
        assertEquals(Optional.of("Bad Request"), e.errorCode());
        assertEquals("Bad Request: failed to process audio: corrupt or unsupported data", e.deepgramMessage());
        assertEquals(Optional.of("uuid"), e.requestId());
    }

    @Test
    void givenTheModernShape_whenParsed_thenCategoryAndMessageWithDetailsAreRead() {
        DeepgramException e = ErrorResponse.toException(400,
                Fixtures.text("deepgram/error-400-invalid-json-modern-shape.docs-example.json"), null, false);

        assertEquals(Optional.of("INVALID_JSON"), e.errorCode());
        assertEquals("Invalid JSON submitted. Json deserialize error: missing field `xxx` at line 7 column 1", e.deepgramMessage());
    }

    @Test
    void givenPlainTextFromAProxy_whenParsed_thenTheTextIsTheMessage() {
        DeepgramException e = ErrorResponse.toException(502, "<html>502 Bad Gateway</html>\n", null, false);

        assertEquals(DeepgramException.Kind.SERVER_ERROR, e.kind());
        assertEquals(Optional.empty(), e.errorCode());
        assertEquals("<html>502 Bad Gateway</html>", e.deepgramMessage());
    }

    /** A callback's error arrives parsed (the response's head): it must read exactly as the same body as text. */
    @Test
    void givenAnErrorBodyAlreadyParsed_whenRead_thenItIsWhatTheSameTextGives() throws Exception {
        String longUrl = "https://bucket.s3.amazonaws.com/r?X-Amz-Signature=secret " + "x".repeat(600);
        for (String body : List.of(
                Fixtures.text("deepgram/error-400-corrupt-or-unsupported-audio.docs-example.json"),
                Fixtures.text("deepgram/error-400-invalid-json-modern-shape.docs-example.json"),
                "{\"err_code\":\"BAD<code>\",\"err_msg\":\"" + longUrl + "\",\"request_id\":\"r?sig=1\"}",
                "{\"metadata\":{\"request_id\":\"r-1\"}}",
                "{}")) {
            DeepgramException fromText = ErrorResponse.toException(0, body, null, false);

            DeepgramException fromNode = DeepgramException.fromErrorBody(JSON.readTree(body));

            assertEquals(fromText.kind(), fromNode.kind(), body);
            assertEquals(fromText.status(), fromNode.status(), body);
            assertEquals(fromText.errorCode(), fromNode.errorCode(), body);
            assertEquals(fromText.deepgramMessage(), fromNode.deepgramMessage(), body);
            assertEquals(fromText.requestId(), fromNode.requestId(), body);
            assertEquals(fromText.getMessage(), fromNode.getMessage(), body);
        }
    }

    @Test
    void givenA401And404_whenParsed_thenKindsAndCodesFollowTheStatus() {
        assertEquals(DeepgramException.Kind.UNAUTHORIZED, ErrorResponse.toException(401,
                Fixtures.text("deepgram/error-401-invalid-auth.docs-example.json"), null, false).kind());
        DeepgramException notFound = ErrorResponse.toException(404,
                Fixtures.text("deepgram/error-404-project-not-found.docs-example.json"), null, false);
        assertEquals(DeepgramException.Kind.REJECTED, notFound.kind());
        assertEquals(Optional.empty(), notFound.requestId());
    }

    @Test
    void givenAFetchFailureForAUrlBody_whenParsed_thenItIsRemoteAudioUnreachableAndTheSignatureIsRedacted() {
        DeepgramException e = ErrorResponse.toException(400, "{\"err_code\":\"REMOTE_CONTENT_ERROR\","
                + "\"err_msg\":\"Could not fetch https://b.s3.amazonaws.com/a.wav?X-Amz-Signature=abc123 (403)\"}", null, true);

        assertEquals(DeepgramException.Kind.REMOTE_AUDIO_UNREACHABLE, e.kind());
        assertEquals("Could not fetch https://b.s3.amazonaws.com/a.wav?<redacted> (403)", e.deepgramMessage());
        assertFalse(e.getMessage().contains("abc123"));
    }

    @Test
    void givenCorruptAudioFetchedFromAUrl_whenParsed_thenItIsRejectedNotUnreachable() {
        DeepgramException e = ErrorResponse.toException(400,
                Fixtures.text("deepgram/error-400-corrupt-or-unsupported-audio.docs-example.json"), null, true);

        assertEquals(DeepgramException.Kind.REJECTED, e.kind());
    }

    @Test
    void givenRetryAfterInSecondsOrAsADate_whenParsed_thenItBecomesADuration() {
        Instant now = Instant.parse("2026-11-29T12:00:00Z");
        assertEquals(Duration.ofSeconds(7), ErrorResponse.retryAfter("7", now));
        assertEquals(Duration.ofSeconds(30), ErrorResponse.retryAfter("Sun, 29 Nov 2026 12:00:30 GMT", now));
        assertEquals(Duration.ZERO, ErrorResponse.retryAfter("Sun, 29 Nov 2026 11:00:00 GMT", now));
        assertNull(ErrorResponse.retryAfter("soon", now));
        assertNull(ErrorResponse.retryAfter(null, now));
    }
}
