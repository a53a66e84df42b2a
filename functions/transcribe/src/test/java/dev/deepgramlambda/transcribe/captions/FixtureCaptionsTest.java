package dev.deepgramlambda.transcribe.captions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepgramlambda.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cue rules, checked on the captions of every recorded Deepgram response (and on the diarized
 * one with its utterances removed, which exercises the words-and-speaker-changes path). Each file
 * is also written to target/captions/ for tests/captions/test_parse.py, which parses it with
 * independent SRT and WebVTT parsers.
 */
class FixtureCaptionsTest {
    static final Path PARSE_FOLDER = Path.of("target", "captions");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CaptionRules RULES = CaptionRules.DEFAULTS;

    static Stream<String> fixtures() {
        return Stream.of(
                "listen-diarize-utterances-paragraphs-2speakers",
                "listen-diarize-utterances-paragraphs-2speakers.no-utterances",
                "listen-utterances-paragraphs-url-spacewalk",
                "listen-nova3-smartformat-file-preamble",
                "listen-nova2-smartformat-summarize-v2-file-preamble",
                "listen-nova3-smartformat-url-bueller",
                "listen-nova2-smartformat-url-bueller");
    }

    /** Every fixture, and one response without any words (silence), for the independent parsers. */
    static Stream<String> parsed() {
        return Stream.concat(fixtures(), Stream.of("listen-utterances-paragraphs-url-spacewalk.no-words"));
    }

    /**
     * A recorded response; a {@code .no-utterances} suffix removes {@code results.utterances}, a
     * {@code .no-words} suffix removes them and every word, as Deepgram answers for silence.
     */
    static JsonNode response(String name) throws IOException {
        String fixture = name.replace(".no-utterances", "").replace(".no-words", "");
        JsonNode response = JSON.readTree(Fixtures.text("deepgram/" + fixture + ".json"));
        if (name.endsWith(".no-utterances") || name.endsWith(".no-words")) {
            ((ObjectNode) response.path("results")).remove("utterances");
        }
        if (name.endsWith(".no-words")) {
            ObjectNode alternative = (ObjectNode) response.path("results").path("channels").path(0).path("alternatives").path(0);
            alternative.putArray("words");
            alternative.put("transcript", "");
        }
        return response;
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void givenARecordedResponse_whenCaptioned_thenEveryCueKeepsTheRules(String name) throws IOException {
        JsonNode response = response(name);
        List<Cue> cues = Responses.cues(response, RULES);

        long audioEnd = Math.round(response.path("metadata").path("duration").asDouble() * 1000);
        assertTrue(cues.size() > 1, name + " has speech, so it has cues");
        for (int i = 0; i < cues.size(); i++) {
            Cue cue = cues.get(i);
            String where = name + " cue " + (i + 1) + " " + cue;
            assertTrue(cue.startMillis() < cue.endMillis() && cue.endMillis() <= audioEnd, where);
            assertTrue(cue.endMillis() - cue.startMillis() <= RULES.maxDuration().toMillis(), where);
            int textLines = cue.lines().size() + (cue.opensTurn() ? 1 : 0);
            assertTrue(cue.lines().size() >= 1 && textLines <= RULES.maxLines(), where);
            cue.lines().forEach(line -> assertTrue(line.codePointCount(0, line.length()) <= RULES.maxCharsPerLine()
                    || !line.contains(" "), where + ": line too long"));
            if (i + 1 < cues.size()) {
                Cue next = cues.get(i + 1);
                long gap = next.startMillis() - cue.endMillis();
                assertTrue(gap >= RULES.minGap().toMillis(), where + ": gap " + gap + " ms");
                // the minimum duration gives way only to the gap before the next cue
                assertTrue(cue.endMillis() - cue.startMillis() >= RULES.minDuration().toMillis()
                        || gap == RULES.minGap().toMillis(), where + ": shorter than the minimum for no reason");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("parsed")
    void givenARecordedResponse_whenRendered_thenBothFilesAreWrittenForTheIndependentParsers(String name) throws IOException {
        JsonNode response = response(name);
        Files.createDirectories(PARSE_FOLDER);
        for (CaptionFormat format : CaptionFormat.values()) {
            String text = Responses.render(format, response, RULES);
            Files.writeString(PARSE_FOLDER.resolve(name + "." + format.extension()), text, StandardCharsets.UTF_8);
            assertEquals(Responses.cues(response, RULES).size(), countCues(text), name + "." + format.extension());
        }
    }

    /** Production renders every chosen format in one walk; each file must be what that format alone gives. */
    @ParameterizedTest
    @MethodSource("parsed")
    void givenARecordedResponse_whenBothFormatsAreRenderedTogether_thenEachFileIsWhatItsFormatAloneGives(String name) throws IOException {
        JsonNode response = response(name);

        Map<CaptionFormat, String> together = Responses.renderTogether(EnumSet.allOf(CaptionFormat.class), response, RULES);

        for (CaptionFormat format : CaptionFormat.values()) {
            assertEquals(Responses.render(format, response, RULES), together.get(format), name + "." + format.extension());
        }
    }

    private static long countCues(String text) {
        return text.lines().filter(line -> line.contains(" --> ")).count();
    }
}
