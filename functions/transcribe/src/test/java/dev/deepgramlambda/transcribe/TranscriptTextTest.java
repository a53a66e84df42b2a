package dev.deepgramlambda.transcribe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepgramlambda.deepgram.ListenResponse;
import dev.deepgramlambda.testing.Fixtures;
import java.io.IOException;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The readable transcript, from real Deepgram responses (test resources, see deepgram/SOURCES.md). */
class TranscriptTextTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void givenSmartFormattedParagraphs_whenRendered_thenDeepgramsParagraphTextIsUsed() throws Exception {
        String text = render(Fixtures.text("deepgram/listen-utterances-paragraphs-url-spacewalk.json"));

        JsonNode alternative = JSON.readTree(Fixtures.text("deepgram/listen-utterances-paragraphs-url-spacewalk.json"))
                .path("results").path("channels").get(0).path("alternatives").get(0);
        assertEquals(alternative.path("paragraphs").path("transcript").asText().strip() + "\n", text);
        assertTrue(text.startsWith("Yeah. As as much as, it's worth celebrating,"), "Deepgram's leading newline is trimmed: " + text);
    }

    @Test
    void givenADiarizedResponse_whenRendered_thenEachParagraphIsLabelledWithItsSpeaker() throws Exception {
        String text = render(Fixtures.text("deepgram/listen-diarize-utterances-paragraphs-2speakers.json"));

        assertTrue(text.startsWith("Speaker 0: And, Jessica, Christina, we are so proud of you."), text);
        assertTrue(text.contains("\n\nSpeaker 2: Final steps before they begin the space walk."), text);
    }

    @Test
    void givenDiarizedWordsWithoutParagraphs_whenRendered_thenWordsAreGroupedBySpeakerTurn() throws Exception {
        String response = """
                {"results": {"channels": [{"alternatives": [{"transcript": "hello there hi",
                  "words": [{"word": "hello", "punctuated_word": "Hello", "speaker": 0},
                            {"word": "there", "punctuated_word": "there.", "speaker": 0},
                            {"word": "hi", "punctuated_word": "Hi!", "speaker": 1}]}]}]}}""";

        assertEquals("Speaker 0: Hello there.\n\nSpeaker 1: Hi!\n", render(response));
    }

    @Test
    void givenSeveralChannels_whenRendered_thenEachGetsAHeading() throws Exception {
        String response = """
                {"results": {"channels": [{"alternatives": [{"transcript": "left side"}]},
                                          {"alternatives": [{"transcript": "right side"}]}]}}""";

        assertEquals("Channel 1:\nleft side\n\nChannel 2:\nright side\n", render(response));
    }

    @Test
    void givenNoSpeech_whenRendered_thenTheTranscriptIsAnEmptyLine() throws Exception {
        String response = "{\"results\": {\"channels\": [{\"alternatives\": [{\"transcript\": \"\", \"words\": []}]}]}}";

        assertEquals("\n", render(response));
    }

    @Test
    void givenParagraphsWrittenBeforeTheWords_whenRendered_thenParagraphsStillWin() throws Exception {
        String response = """
                {"results": {"channels": [{"alternatives": [{"paragraphs": {"transcript": "\\nSpeaker 0: Hello there."},
                  "words": [{"word": "hello", "punctuated_word": "Hello", "speaker": 0}], "transcript": "hello there"}]}]},
                 "metadata": {"request_id": "r-1"}}""";

        assertEquals("Speaker 0: Hello there.\n", render(response));
    }

    @Test
    void givenAChannelWithoutAlternativesBesideOneWithText_whenRendered_thenEachChannelStillGetsItsLine() throws Exception {
        String response = """
                {"results": {"channels": [{"alternatives": []}, {"alternatives": [{"transcript": "right side"}, {"transcript": "other"}]},
                                          {"detected_language": "en"}]}}""";

        assertEquals("Channel 1:\n\n\nChannel 2:\nright side\n\nChannel 3:\n\n", render(response));
    }

    @Test
    void givenTwoHundredThousandDiarizedWords_whenRendered_thenTheyStreamIntoSpeakerTurns() throws Exception {
        StringBuilder words = new StringBuilder();
        int count = 200_000;
        for (int i = 0; i < count; i++) {
            words.append(i == 0 ? "" : ",").append("{\"word\":\"w\",\"punctuated_word\":\"w\",\"speaker\":").append(i / 1000 % 2).append('}');
        }
        String text = render("{\"results\":{\"channels\":[{\"alternatives\":[{\"transcript\":\"x\",\"words\":[" + words + "]}]}]}}");

        assertEquals(count / 1000, text.split("\n\n").length, "one turn per 1000 words");
        assertEquals(count, text.chars().filter(c -> c == 'w').count());
    }

    private static String render(String json) throws IOException {
        StringWriter out = new StringWriter();
        try (ListenResponse response = ListenResponse.of(json)) {
            TranscriptText.render(response, out);
        }
        return out.toString();
    }
}
