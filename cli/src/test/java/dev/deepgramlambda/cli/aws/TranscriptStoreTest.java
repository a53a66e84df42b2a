package dev.deepgramlambda.cli.aws;

import static dev.deepgramlambda.cli.aws.TranscriptStore.Kind.ERROR_RECORD;
import static dev.deepgramlambda.cli.aws.TranscriptStore.Kind.TRANSCRIPT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepgramlambda.outputs.OutputNames;
import dev.deepgramlambda.testing.TestBed;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The CLI finds outputs where TranscribeFunction writes them (UploadIntegrityTest proves the
 * function's side), for the keys whose names are not simply {@code {prefix}{key}{suffix}}.
 */
class TranscriptStoreTest {
    private static final String BUCKET = "audio";
    private static final String PREFIX = "transcripts/";

    private final TestBed bed = TestBed.onMoto();
    private final TranscriptStore store = new TranscriptStore(bed.aws.s3(), BUCKET, PREFIX);

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @Test
    void givenAKeyEndingInDotError_thenItsTranscriptIsNotTakenForTheErrorRecordOfAnother() {
        bed.aws.createBucket(BUCKET);
        // The transcript of "incoming/notes.error", and the error record of "incoming/notes".
        put("transcripts/incoming/notes.error~.json", "{}");
        put("transcripts/incoming/notes.error.json", "{\"reason\":\"empty-object\",\"message\":\"the object is empty (0 bytes)\"}");

        assertEquals(Optional.of(TRANSCRIPT), store.outcome("incoming/notes.error"));
        assertEquals(Optional.of(ERROR_RECORD), store.outcome("incoming/notes"));
        assertEquals(Map.of("incoming/notes.error", TRANSCRIPT, "incoming/notes", ERROR_RECORD), store.outcomes("incoming/"));
        assertEquals("s3://audio/transcripts/incoming/notes.error~.json", store.uri("incoming/notes.error", TRANSCRIPT));
        assertEquals(Optional.of("{}"), store.read("incoming/notes.error", TRANSCRIPT));
        assertEquals("empty-object: the object is empty (0 bytes)", store.errorSummary("incoming/notes"));
    }

    @Test
    void givenAKeyTooLongForItsOutputNames_thenItsTranscriptIsFoundUnderTheShortenedName() {
        bed.aws.createBucket(BUCKET);
        String key = "incoming/" + "é".repeat(400) + "x".repeat(200) + ".wav";
        String written = new OutputNames(PREFIX).transcript(key);
        assertTrue(written.getBytes(StandardCharsets.UTF_8).length <= OutputNames.MAX_KEY_BYTES, written);
        put(written, "{}");

        assertEquals(Optional.of(TRANSCRIPT), store.outcome(key));
        assertEquals(Optional.of("{}"), store.read(key, TRANSCRIPT));
        assertEquals("s3://audio/" + written, store.uri(key, TRANSCRIPT));
    }

    private void put(String key, String body) {
        bed.aws.put(BUCKET, key, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }
}
