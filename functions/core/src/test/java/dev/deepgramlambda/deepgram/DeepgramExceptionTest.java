package dev.deepgramlambda.deepgram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.deepgramlambda.deepgram.DeepgramException.Kind;
import dev.deepgramlambda.deepgram.DeepgramException.Remedy;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What each HTTP answer lets a caller do next: retry now, leave it to a later invocation, stream, or record it. */
class DeepgramExceptionTest {

    @Test
    void givenEachErrorStatus_whenClassified_thenOnlyRequestAccountAndPermissionErrorsArePermanent() {
        Map<Integer, Remedy> expected = Map.of(
                400, Remedy.NONE, 401, Remedy.LATER, 402, Remedy.NONE, 403, Remedy.NONE, 404, Remedy.NONE,
                413, Remedy.NONE, 408, Remedy.RETRY, 429, Remedy.RETRY, 500, Remedy.RETRY, 503, Remedy.RETRY);

        expected.forEach((status, remedy) -> {
            Kind kind = ErrorResponse.toException(status, "{}", null, false).kind();
            assertEquals(remedy, kind.remedy(), "HTTP " + status);
            assertEquals(remedy == Remedy.NONE, kind.permanent(), "HTTP " + status);
        });
    }

    @Test
    void givenAUrlDeepgramCouldNotFetch_whenClassified_thenTheRemedyIsSendingTheAudioNotAnErrorRecord() {
        Kind kind = ErrorResponse.toException(400, "{\"err_code\":\"REMOTE_CONTENT_ERROR\",\"err_msg\":\"Could not fetch the URL\"}",
                null, true).kind();

        assertEquals(Kind.REMOTE_AUDIO_UNREACHABLE, kind);
        assertEquals(Remedy.SEND_AUDIO, kind.remedy());
        assertFalse(kind.permanent());
    }

    @Test
    void givenFailuresOfOurOwnMaking_whenClassified_thenALaterInvocationMaySucceed() {
        assertEquals(Remedy.LATER, Kind.DEADLINE_EXCEEDED.remedy());
        assertEquals(Remedy.LATER, Kind.CIRCUIT_OPEN.remedy());
        assertEquals(Remedy.RETRY, Kind.TIMEOUT.remedy());
        assertEquals(Remedy.RETRY, Kind.CONNECTION.remedy());
    }
}
