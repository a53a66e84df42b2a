package dev.deepgramlambda.transcribe.captions;

import static dev.deepgramlambda.transcribe.captions.Responses.response;
import static dev.deepgramlambda.transcribe.captions.Responses.speaker;
import static dev.deepgramlambda.transcribe.captions.Responses.word;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepgramlambda.testing.Fixtures;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The renderer's rules one at a time, on small responses shaped like Deepgram's, and the golden files. */
class CaptionFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CaptionRules RULES = CaptionRules.DEFAULTS;

    @Test
    void givenTwoRecordedResponses_whenRendered_thenTheyMatchTheReviewedGoldenFiles() throws Exception {
        for (String name : List.of("listen-diarize-utterances-paragraphs-2speakers", "listen-utterances-paragraphs-url-spacewalk")) {
            JsonNode response = FixtureCaptionsTest.response(name);
            for (CaptionFormat format : CaptionFormat.values()) {
                assertEquals(Fixtures.text("captions/" + name + "." + format.extension()), Responses.render(format, response, RULES),
                        name + "." + format.extension());
            }
        }
    }

    @Test
    void givenAResponseWithoutWords_whenRendered_thenBothFilesAreValidAndEmptyOfCues() {
        JsonNode silence = response(60.0, List.of());

        assertEquals("", Responses.render(CaptionFormat.SRT, silence, RULES));
        assertEquals("WEBVTT\n\nNOTE Transcribed by Deepgram, request req-1\n\n", Responses.render(CaptionFormat.VTT, silence, RULES));
        JsonNode noResults = JSON.createObjectNode();
        assertEquals("WEBVTT\n\n", Responses.render(CaptionFormat.VTT, noResults, RULES));
    }

    @Test
    void givenMultichannelResults_whenRendered_thenCaptionsAreRefusedWithTheReason() {
        ObjectNode response = (ObjectNode) response(10.0, List.of(word("hello", 1.0, 1.5)));
        ArrayNode channels = (ArrayNode) response.path("results").path("channels");
        channels.add(channels.get(0).deepCopy());

        CaptionException refused = assertThrows(CaptionException.class, () -> Responses.render(CaptionFormat.SRT, response, RULES));
        assertTrue(refused.getMessage().contains("one audio channel, this response has 2"), refused.getMessage());
    }

    @Test
    void givenMarkupCharacters_whenRendered_thenWebVttEscapesThemAndSrtKeepsThemAsText() {
        JsonNode response = response(10.0, List.of(word("R&D", 1.0, 1.4), word("<b>bold</b>", 1.4, 2.0), word("a->b", 2.0, 2.5)));

        assertTrue(Responses.render(CaptionFormat.VTT, response, RULES).contains("\nR&amp;D &lt;b&gt;bold&lt;/b&gt; a-&gt;b\n"));
        assertTrue(Responses.render(CaptionFormat.SRT, response, RULES).contains("\nR&D <b>bold</b> a->b\n"));
    }

    @Test
    void givenSpeechPastOneHour_whenRendered_thenTimestampsUseHoursAndEachFormatsSeparator() {
        JsonNode response = response(4000.0, List.of(word("late,", 3723.004, 3723.5), word("later.", 3723.5, 3725.25)));

        assertTrue(Responses.render(CaptionFormat.SRT, response, RULES).contains("\n01:02:03,004 --> 01:02:05,250\n"));
        assertTrue(Responses.render(CaptionFormat.VTT, response, RULES).contains("\n01:02:03.004 --> 01:02:05.250\n"));
        assertEquals("100:00:00,000", CaptionFormat.timestamp(360_000_000L, ','));
    }

    @Test
    void givenNonAsciiWords_whenLaidOut_thenLinesAreCountedInCharactersNotBytes() {
        // 40 characters, 80 bytes in UTF-8: one line of 42 characters holds it
        String word = "é".repeat(40);
        List<Cue> cues = Responses.cues(response(10.0, List.of(word(word, 1.0, 3.0))), RULES);

        assertEquals(List.of(word), cues.get(0).lines());
    }

    @Test
    void givenContinuousSpeechLongerThanTheMaximum_whenCut_thenNoCueLastsLongerAndTheCutFollowsASentenceEnd() {
        List<ObjectNode> words = new java.util.ArrayList<>();
        double t = 0;
        for (int i = 0; i < 30; i++) {
            words.add(word(i == 9 ? "nine." : "w" + i, t, t + 0.4));
            t += 0.4;
        }
        List<Cue> cues = Responses.cues(response(20.0, words), RULES);

        assertTrue(cues.stream().allMatch(c -> c.endMillis() - c.startMillis() <= 7000), cues.toString());
        assertTrue(cues.get(0).lines().get(cues.get(0).lines().size() - 1).endsWith("nine."), cues.get(0).toString());
    }

    @Test
    void givenAPauseLongerThanThePauseBreak_whenCut_thenTheWordsAfterItStartANewCue() {
        List<Cue> cues = Responses.cues(response(10.0, List.of(word("before", 1.0, 1.5), word("after", 2.3, 2.8))), RULES);

        assertEquals(2, cues.size());
        assertEquals(List.of("before"), cues.get(0).lines());
        assertEquals(2300, cues.get(1).startMillis());
    }

    @Test
    void givenCloseShortCues_whenTimed_thenTheMinimumDurationGivesWayToTheGapAndNothingOverlaps() {
        // a one-word cue, then a speaker change 0.5 s later: 833 ms would overlap the next cue
        List<Cue> cues = Responses.cues(response(10.0, List.of(
                speaker(word("Yes.", 1.0, 1.2), 0), speaker(word("No.", 1.5, 1.7), 1), speaker(word("Maybe.", 1.72, 2.0), 0))), RULES);

        assertEquals(3, cues.size());
        assertEquals(1000, cues.get(0).startMillis());
        assertEquals(1500 - 83, cues.get(0).endMillis());
        // speech overlapping the previous cue's gap starts after it
        assertEquals(cues.get(1).endMillis() + 83, cues.get(2).startMillis());
        assertTrue(cues.get(2).endMillis() <= 10_000);
    }

    @Test
    void givenADiarizedResponse_whenRendered_thenSrtLabelsEachTurnOnceAndWebVttVoicesEveryCue() {
        JsonNode response = response(10.0, List.of(speaker(word("Hi.", 1.0, 1.3), 0), speaker(word("there", 1.3, 1.6), 0),
                speaker(word("Hello.", 3.0, 3.5), 1)));

        assertEquals("""
                1
                00:00:01,000 --> 00:00:01,833
                [Speaker 0]
                Hi. there

                2
                00:00:03,000 --> 00:00:03,833
                [Speaker 1]
                Hello.

                """, Responses.render(CaptionFormat.SRT, response, RULES));
        String vtt = Responses.render(CaptionFormat.VTT, response, RULES);
        assertTrue(vtt.contains("00:00:01.000 --> 00:00:01.833\n<v Speaker 0>Hi. there\n\n"), vtt);
        assertTrue(vtt.contains("00:00:03.000 --> 00:00:03.833\n<v Speaker 1>Hello.\n\n"), vtt);
    }

    @Test
    void givenCaptionFormatLists_whenParsed_thenNoneAndListsAreAcceptedAndAnythingElseIsNamed() {
        assertEquals(EnumSet.of(CaptionFormat.SRT, CaptionFormat.VTT), CaptionFormat.parseList(" VTT , srt "));
        assertEquals(Set.of(CaptionFormat.SRT), CaptionFormat.parseList("srt"));
        assertEquals(Set.of(), CaptionFormat.parseList("none"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> CaptionFormat.parseList("srt,ass"));
        assertEquals("'srt,ass' is not a caption format list: use srt, vtt, srt,vtt or none", bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CaptionFormat.parseList("srt,"));
    }

    @Test
    void givenInvalidRules_whenBuilt_thenEveryProblemIsNamed() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> CaptionRules.builder()
                .maxLines(3).maxCharsPerLine(5).minDuration(Duration.ofSeconds(8)).maxCharsPerSecond(0).build());

        assertEquals("invalid caption rules: maxLines must be 1 or 2, got 3; maxCharsPerLine must be between 10 and 100, got 5;"
                + " minDuration (PT8S) must not exceed maxDuration (PT7S); maxCharsPerSecond must be at least 1, got 0", bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CaptionRules.builder().minGap(null).build());
    }

    @Test
    void givenOneLineRules_whenLaidOut_thenEveryCueHasOneLine() {
        CaptionRules oneLine = CaptionRules.builder().maxLines(1).maxCharsPerLine(20).build();
        JsonNode response = response(10.0, List.of(word("one", 1.0, 1.2), word("two", 1.2, 1.4), word("three", 1.4, 1.6),
                word("four", 1.6, 1.8), word("five", 1.8, 2.0), word("six", 2.0, 2.2)));

        List<Cue> cues = Responses.cues(response, oneLine);

        assertEquals(List.of(List.of("one two three four"), List.of("five six")), cues.stream().map(Cue::lines).toList());
    }
}
