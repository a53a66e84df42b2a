package dev.deepgramlambda.transcribe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepgramlambda.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** The readable transcript, from real Deepgram responses (test resources, see deepgram/SOURCES.md). */
class TranscriptTextTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void givenSmartFormattedParagraphs_whenRendered_thenDeepgramsParagraphTextIsUsed() throws Exception {
        String text = TranscriptText.render(JSON.readTree(Fixtures.text("deepgram/listen-utterances-paragraphs-url-spacewalk.json")));

        JsonNode alternative = JSON.readTree(Fixtures.text("deepgram/listen-utterances-paragraphs-url-spacewalk.json"))
                .path("results").path("channels").get(0).path("alternatives").get(0);
        assertEquals(alternative.path("paragraphs").path("transcript").asText().strip() + "\n", text);
        assertTrue(text.startsWith("Yeah. As as much as, it's worth celebrating,"), "Deepgram's leading newline is trimmed: " + text);
    }

    @Test
    void givenADiarizedResponse_whenRendered_thenEachParagraphIsLabelledWithItsSpeaker() throws Exception {
        String text = TranscriptText.render(JSON.readTree(Fixtures.text("deepgram/listen-diarize-utterances-paragraphs-2speakers.json")));

        assertTrue(text.startsWith("Speaker 0: And, Jessica, Christina, we are so proud of you."), text);
        assertTrue(text.contains("\n\nSpeaker 2: Final steps before they begin the space walk."), text);
    }

    @Test
    void givenDiarizedWordsWithoutParagraphs_whenRendered_thenWordsAreGroupedBySpeakerTurn() throws Exception {
        JsonNode response = JSON.readTree("""
                {"results": {"channels": [{"alternatives": [{"transcript": "hello there hi",
                  "words": [{"word": "hello", "punctuated_word": "Hello", "speaker": 0},
                            {"word": "there", "punctuated_word": "there.", "speaker": 0},
                            {"word": "hi", "punctuated_word": "Hi!", "speaker": 1}]}]}]}}""");

        assertEquals("Speaker 0: Hello there.\n\nSpeaker 1: Hi!\n", TranscriptText.render(response));
    }

    @Test
    void givenSeveralChannels_whenRendered_thenEachGetsAHeading() throws Exception {
        JsonNode response = JSON.readTree("""
                {"results": {"channels": [{"alternatives": [{"transcript": "left side"}]},
                                          {"alternatives": [{"transcript": "right side"}]}]}}""");

        assertEquals("Channel 1:\nleft side\n\nChannel 2:\nright side\n", TranscriptText.render(response));
    }

    @Test
    void givenNoSpeech_whenRendered_thenTheTranscriptIsAnEmptyLine() throws Exception {
        JsonNode response = JSON.readTree("{\"results\": {\"channels\": [{\"alternatives\": [{\"transcript\": \"\", \"words\": []}]}]}}");

        assertEquals("\n", TranscriptText.render(response));
    }
}
