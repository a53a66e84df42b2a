package dev.deepgramlambda.transcribe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import dev.deepgramlambda.testing.Fixtures;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UploadEventTest {

    @Test
    void givenTheSampleEvent_whenDecoded_thenTheKeyIsPlainAndEveryFieldIsRead() {
        S3Event event = Fixtures.event(S3Event.class, Fixtures.text("events/s3-put.json"));

        UploadEvent upload = UploadEvent.of(event.getRecords().get(0));

        assertEquals("deepgram-transcription-audiobucket-1x2y3z4w5v6u", upload.bucket());
        assertEquals("incoming/My Meeting été.wav", upload.key(), "S3 form-encodes keys: '+' is a space, %C3%A9 is é");
        assertEquals(Optional.empty(), upload.versionId(), "an unversioned bucket sends no versionId");
        assertEquals(Optional.of("9b2cf535f27731c974343645a3985328"), upload.eTag());
        assertEquals("ObjectCreated:Put", upload.eventName());
        assertEquals(Optional.of("0055AED6DCD90281E5"), upload.sequencer());
        assertTrue(upload.isObjectCreated());
    }

    @Test
    void givenADeletion_whenDecoded_thenItIsNotAnUpload() {
        String json = Fixtures.text("events/s3-put.json").replace("ObjectCreated:Put", "ObjectRemoved:Delete");

        UploadEvent upload = UploadEvent.of(Fixtures.event(S3Event.class, json).getRecords().get(0));

        assertFalse(upload.isObjectCreated());
    }
}
