package dev.deepgramlambda.outputs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OutputNamesTest {
    private static final OutputNames NAMES = new OutputNames("transcripts/");

    @Test
    void givenKeysThatNeedAnEscapeOrNone_whenNamed_thenTheNameLeadsBackToTheKey() {
        for (String key : List.of("incoming/a.wav", "incoming/a.error", "incoming/a~", "incoming/a.error~", "incoming/a~~")) {
            for (String suffix : List.of(OutputNames.TRANSCRIPT, OutputNames.ERROR, ".srt")) {
                assertEquals(Optional.of(key), NAMES.sourceKey(NAMES.output(key, suffix), suffix), key + suffix);
            }
        }
        assertEquals("transcripts/incoming/a.error~.json", NAMES.transcript("incoming/a.error"));
    }

    @Test
    void givenTheErrorRecordOfAKey_whenReadAsATranscript_thenItNamesNoKey() {
        assertEquals(Optional.empty(), NAMES.sourceKey("transcripts/incoming/a.error.json", OutputNames.TRANSCRIPT));
        assertEquals(Optional.of("incoming/a"), NAMES.sourceKey("transcripts/incoming/a.error.json", OutputNames.ERROR));
        assertEquals(Optional.empty(), NAMES.sourceKey("transcripts/incoming/a~.json", OutputNames.TRANSCRIPT), "no key has this stem");
        assertEquals(Optional.empty(), NAMES.sourceKey("elsewhere/incoming/a.json", OutputNames.TRANSCRIPT));
    }

    @Test
    void givenAKeyTooLongForS3_whenNamed_thenEveryNameFitsAndTheStemIsShortened() {
        String key = "incoming/" + "é".repeat(400) + "x".repeat(200) + ".wav";

        assertTrue(NAMES.shortened(key));
        assertTrue(NAMES.error(key).getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= OutputNames.MAX_KEY_BYTES);
        assertTrue(NAMES.stem(key).endsWith("~" + OutputNames.sha256Hex(key).substring(0, 32)), NAMES.stem(key));
    }
}
