package dev.deepgramlambda.transcribe.captions;

import static dev.deepgramlambda.transcribe.captions.Responses.response;
import static dev.deepgramlambda.transcribe.captions.Responses.speaker;
import static dev.deepgramlambda.transcribe.captions.Responses.word;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepgramlambda.deepgram.ListenResponse;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Captions read from the spooled file as a stream: whatever the key order, whatever the length,
 * and with utterances in an order Deepgram never writes.
 */
class StreamingCaptionsTest {
    private static final CaptionRules RULES = CaptionRules.DEFAULTS;

    @ParameterizedTest
    @ValueSource(strings = {"listen-diarize-utterances-paragraphs-2speakers", "listen-diarize-utterances-paragraphs-2speakers.no-utterances"})
    void givenResultsBeforeMetadataAndUtterancesBeforeChannels_whenRendered_thenTheFilesAreTheSame(String name) throws Exception {
        JsonNode recorded = FixtureCaptionsTest.response(name);
        ObjectNode reordered = JsonNodeFactory.instance.objectNode();
        ObjectNode results = reordered.putObject("results");
        List<String> resultFields = new ArrayList<>();
        recorded.path("results").fieldNames().forEachRemaining(resultFields::add);
        Collections.reverse(resultFields);
        resultFields.forEach(field -> results.set(field, recorded.path("results").path(field)));
        reordered.set("metadata", recorded.path("metadata"));

        for (CaptionFormat format : CaptionFormat.values()) {
            assertEquals(Responses.render(format, recorded, RULES), Responses.render(format, reordered, RULES), name + "." + format.extension());
        }
    }

    @Test
    void givenTwoSpeakersOverlapping_whenCaptioned_thenTheirCuesInterleaveByStartTime() {
        // speaker 0 says "Hello." then, after a pause, "again."; speaker 1's "Yes." falls in that pause
        ObjectNode response = (ObjectNode) response(10.0, List.of());
        ArrayNode utterances = ((ObjectNode) response.path("results")).putArray("utterances");
        utterances.addObject().putArray("words").add(speaker(word("Hello.", 1.0, 1.4), 0)).add(speaker(word("again.", 3.0, 3.4), 0));
        utterances.addObject().putArray("words").add(speaker(word("Yes.", 2.0, 2.3), 1));

        List<Cue> cues = Responses.cues(response, RULES);

        // each stays up 833 ms (the minimum; reading "Hello." needs 353 ms), the first until 83 ms before "Yes."
        assertEquals(List.of(
                new Cue(1000, 1833, OptionalInt.of(0), true, List.of("Hello.")),
                new Cue(2000, 2833, OptionalInt.of(1), true, List.of("Yes.")),
                new Cue(3000, 3833, OptionalInt.of(0), false, List.of("again."))), cues);
    }

    @Test
    void givenUtterancesOutOfStartOrder_whenCaptioned_thenTheChannelWordsAreCaptionedInstead() throws Exception {
        JsonNode recorded = FixtureCaptionsTest.response("listen-diarize-utterances-paragraphs-2speakers");
        ObjectNode reversed = recorded.deepCopy();
        ArrayNode utterances = ((ObjectNode) reversed.path("results")).putArray("utterances");
        List<JsonNode> inOrder = new ArrayList<>();
        recorded.path("results").path("utterances").forEach(inOrder::add);
        Collections.reverse(inOrder);
        utterances.addAll(inOrder);

        List<Cue> cues = Responses.cues(reversed, RULES);

        assertEquals(Responses.cues(FixtureCaptionsTest.response("listen-diarize-utterances-paragraphs-2speakers.no-utterances"), RULES), cues);
        assertTrue(cues.size() > 1);
        assertOrderedAndApart(cues);
    }

    @Test
    void givenAnUtteranceOfMoreCuesThanTheBufferOverlappedByTheNext_whenCaptioned_thenOnlyTheBufferWaitsAndNothingIsLost() {
        // one utterance of 2,000 one-word cues a second apart, then an utterance that starts inside its first second
        int words = 2000;
        ObjectNode response = (ObjectNode) response(words + 1.0, List.of());
        ArrayNode utterances = ((ObjectNode) response.path("results")).putArray("utterances");
        ArrayNode early = utterances.addObject().putArray("words");
        IntStream.range(0, words).forEach(i -> early.add(word("w" + i, i, i + 0.1)));
        utterances.addObject().putArray("words").add(word("late", 0.5, 0.6));

        List<Cue> cues = Responses.cues(response, RULES);

        assertEquals(words + 1, cues.size(), "every word is shown");
        List<String> text = cues.stream().map(cue -> cue.lines().get(0)).toList();
        // the drafts the full buffer released before "late" arrived stay before it; the rest follow it
        assertEquals(words - CueBuilder.MAX_WAITING_DRAFTS, text.indexOf("late"), "a bounded buffer, not the whole utterance, waits");
        assertOrderedAndApart(cues);
    }

    @Test
    void givenTwoHundredThousandWordsWithoutUtterances_whenStreamedFromAGenerator_thenEverySentenceIsOneTimedCue() throws Exception {
        int sentences = 40_000;
        try (ListenResponse response = ListenResponse.read(longMonologue(sentences), -1)) {
            List<Cue> cues = Responses.cues(response, RULES);

            assertEquals(sentences, cues.size());
            for (int k = 0; k < sentences; k++) {
                Cue cue = cues.get(k);
                // 5 words of 0.3 s, then 1 s of silence: "Alpha bravo charlie delta echo." (31 characters) needs 1,824 ms to read
                assertEquals(2500L * k, cue.startMillis(), cue.toString());
                assertEquals(2500L * k + 1824, cue.endMillis(), cue.toString());
                assertEquals(List.of("Alpha bravo charlie delta echo."), cue.lines());
            }
        }
    }

    private static void assertOrderedAndApart(List<Cue> cues) {
        for (int i = 0; i < cues.size(); i++) {
            Cue cue = cues.get(i);
            assertTrue(cue.startMillis() < cue.endMillis(), cue.toString());
            if (i + 1 < cues.size()) {
                assertTrue(cues.get(i + 1).startMillis() - cue.endMillis() >= RULES.minGap().toMillis(), cue + " then " + cues.get(i + 1));
            }
        }
    }

    /**
     * A non-diarized answer of {@code sentences} five-word sentences, made as it is read (about 19 MB),
     * so the test holds no more of it than the parser does.
     */
    private static InputStream longMonologue(int sentences) {
        String[] words = {"Alpha", "bravo", "charlie", "delta", "echo."};
        return new SequenceInputStream(new Enumeration<>() {
            private int next = -1;

            @Override
            public boolean hasMoreElements() {
                return next <= sentences;
            }

            @Override
            public InputStream nextElement() {
                int sentence = next++;
                if (sentence < 0) {
                    return text("{\"metadata\":{\"request_id\":\"req-long\",\"duration\":" + (2.5 * sentences) + ",\"channels\":1},"
                            + "\"results\":{\"channels\":[{\"alternatives\":[{\"transcript\":\"\",\"words\":[");
                }
                if (sentence == sentences) {
                    return text("]}]}]}}");
                }
                StringBuilder json = new StringBuilder();
                for (int j = 0; j < words.length; j++) {
                    long start = 2500L * sentence + 300L * j;
                    json.append(sentence == 0 && j == 0 ? "" : ",")
                            .append(String.format(Locale.ROOT, "{\"word\":\"%s\",\"start\":%.3f,\"end\":%.3f,\"confidence\":0.99,"
                                    + "\"punctuated_word\":\"%s\"}", words[j].toLowerCase(Locale.ROOT).replace(".", ""),
                                    start / 1000.0, (start + 300) / 1000.0, words[j]));
                }
                return text(json.toString());
            }
        });
    }

    private static InputStream text(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }
}
