package dev.deepgramlambda.transcribe.captions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A four-hour meeting: the recorded two-speaker response repeated end to end (85 times, 19,210
 * words in 1,870 utterances). Checks the rules still hold at that size and prints how long rendering
 * took, as a rerunnable measurement (not asserted: the machine is shared):
 * {@code mvn -pl functions/transcribe -am test -Dtest=LongRecordingCaptionsTest -Dsurefire.failIfNoSpecifiedTests=false}
 */
class LongRecordingCaptionsTest {
    private static final int REPEATS = 85;

    @Test
    void givenAFourHourDiarizedRecording_whenCaptioned_thenTimingsStayOrderedApartAndWithinTheAudio() throws Exception {
        JsonNode response = repeated(FixtureCaptionsTest.response("listen-diarize-utterances-paragraphs-2speakers"), REPEATS);
        long audioEnd = (long) Math.floor(response.path("metadata").path("duration").asDouble() * 1000);

        long started = System.nanoTime();
        List<Cue> cues = Responses.cues(response, CaptionRules.DEFAULTS);
        long cueMillis = (System.nanoTime() - started) / 1_000_000;
        String srt = Responses.render(CaptionFormat.SRT, response, CaptionRules.DEFAULTS);
        long srtMillis = (System.nanoTime() - started) / 1_000_000 - cueMillis;
        String vtt = Responses.render(CaptionFormat.VTT, response, CaptionRules.DEFAULTS);
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertEquals(31 * REPEATS, cues.size(), "each copy gives the 31 cues of the golden file");
        for (int i = 1; i < cues.size(); i++) {
            assertTrue(cues.get(i).startMillis() - cues.get(i - 1).endMillis() >= 83, cues.get(i).toString());
        }
        assertTrue(cues.get(cues.size() - 1).endMillis() <= audioEnd);
        System.out.printf("captions of %.1f h of audio, %d cues: cues %d ms (cold JVM), then SRT (%d chars) %d ms,"
                + " WebVTT (%d chars) %d ms; %d ms in all%n", audioEnd / 3_600_000.0, cues.size(), cueMillis, srt.length(), srtMillis,
                vtt.length(), millis - cueMillis - srtMillis, millis);
    }

    /** The response with its utterances repeated {@code times}, each copy shifted by the audio's duration. */
    private static JsonNode repeated(JsonNode original, int times) {
        ObjectNode response = original.deepCopy();
        double duration = original.path("metadata").path("duration").asDouble();
        ArrayNode utterances = ((ObjectNode) response.path("results")).putArray("utterances");
        for (int copy = 0; copy < times; copy++) {
            double offset = copy * duration;
            for (JsonNode utterance : original.path("results").path("utterances")) {
                ObjectNode shifted = utterance.deepCopy();
                shifted.put("start", utterance.path("start").asDouble() + offset).put("end", utterance.path("end").asDouble() + offset);
                for (JsonNode word : shifted.path("words")) {
                    ((ObjectNode) word).put("start", word.path("start").asDouble() + offset).put("end", word.path("end").asDouble() + offset);
                }
                utterances.add(shifted);
            }
        }
        ((ObjectNode) response.path("metadata")).put("duration", duration * times);
        return response;
    }
}
