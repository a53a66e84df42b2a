package dev.deepgramlambda.transcribe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepgramlambda.config.ConfigException;
import dev.deepgramlambda.deepgram.ListenResponse;
import dev.deepgramlambda.standin.S3Notification;
import dev.deepgramlambda.testing.Fixtures;
import dev.deepgramlambda.testing.S3Events;
import dev.deepgramlambda.transcribe.FunctionHarness.Invocation;
import dev.deepgramlambda.transcribe.captions.CaptionFormat;
import dev.deepgramlambda.transcribe.captions.CaptionRules;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** Captions through TranscribeFunction end to end, against moto and the Deepgram stand-in. */
class CaptionDeliveryTest {
    private static final String DIARIZED = "deepgram/listen-diarize-utterances-paragraphs-2speakers.json";
    private static final byte[] TWO_SPEAKERS = Fixtures.bytes("audio/two-speakers.wav");
    @RegisterExtension
    final FunctionHarness function = new FunctionHarness();

    @Test
    void givenTheDefaults_whenTranscribed_thenSrtAndVttSitBesideTheTranscriptWithTheSameMetadata() throws Exception {
        function.deepgram.respondWith(DIARIZED);
        S3Notification.Upload upload = function.upload("incoming/two.wav", TWO_SPEAKERS);

        Invocation invocation = function.invoke(function.coldStart(), S3Events.objectCreated(upload));

        assertNull(invocation.thrown());
        RecordedRequest request = function.deepgram.takeRequest();
        assertEquals("true", request.getUrl().queryParameter("utterances"), "captions ask Deepgram for utterances");
        HeadObjectResponse text = function.head("transcripts/incoming/two.wav.txt");
        try (ListenResponse response = ListenResponse.of(Fixtures.text(DIARIZED))) {
            for (CaptionFormat format : CaptionFormat.values()) {
                String key = "transcripts/incoming/two.wav." + format.extension();
                StringWriter expected = new StringWriter();
                CaptionFormat.render(response, CaptionRules.DEFAULTS, Map.of(format, expected));
                assertEquals(expected.toString(), function.read(key));
                HeadObjectResponse head = function.head(key);
                assertEquals(text.metadata(), head.metadata(), key);
                assertEquals(format.contentType(), head.contentType(), key);
            }
        }
        assertTrue(function.read("transcripts/incoming/two.wav.vtt").contains("<v Speaker 0>Jessica, Christina,\nwe are so proud of you."));
        assertTrue(function.read("transcripts/incoming/two.wav.srt").startsWith("1\n00:00:03,040 --> 00:00:03,873\n[Speaker 0]\nAnd,\n"));
    }

    @Test
    void givenPerFileCaptionsNone_whenTranscribed_thenNoCaptionFilesAndNoUtterancesAreRequested() {
        S3Notification.Upload upload = function.upload("incoming/hello.wav", Fixtures.bytes("audio/hello-en.wav"), Map.of("dg-captions", "none"));

        function.invoke(function.coldStart(), S3Events.objectCreated(upload));

        assertNull(function.deepgram.takeRequest().getUrl().queryParameter("utterances"));
        assertTrue(function.exists("transcripts/incoming/hello.wav.json") && function.exists("transcripts/incoming/hello.wav.txt"));
        assertFalse(function.exists("transcripts/incoming/hello.wav.srt"));
        assertFalse(function.exists("transcripts/incoming/hello.wav.vtt"));
    }

    @Test
    void givenCaptionFormatsSetEmpty_whenTranscribed_thenNoCaptionFilesAreWritten() {
        function.with("CAPTION_FORMATS", "");
        S3Notification.Upload upload = function.upload("incoming/hello.wav", Fixtures.bytes("audio/hello-en.wav"));

        function.invoke(function.coldStart(), S3Events.objectCreated(upload));

        assertNull(function.deepgram.takeRequest().getUrl().queryParameter("utterances"));
        assertTrue(function.exists("transcripts/incoming/hello.wav.txt"));
        assertFalse(function.exists("transcripts/incoming/hello.wav.srt"));
        assertFalse(function.exists("transcripts/incoming/hello.wav.vtt"));
    }

    @Test
    void givenANewVersionAskingForVttOnly_whenTranscribed_thenTheOlderSrtIsRemovedAndNoStaleCaptionRemains() {
        TranscribeHandler handler = function.coldStart();
        function.invoke(handler, S3Events.objectCreated(function.upload("incoming/hello.wav", Fixtures.bytes("audio/hello-en.wav"))));
        assertTrue(function.exists("transcripts/incoming/hello.wav.srt"));

        S3Notification.Upload replaced = function.upload("incoming/hello.wav", Fixtures.bytes("audio/hola-es.wav"), Map.of("dg-captions", "VTT"));
        function.invoke(handler, S3Events.objectCreated(replaced));

        assertFalse(function.exists("transcripts/incoming/hello.wav.srt"));
        assertEquals(replaced.eTag(), function.head("transcripts/incoming/hello.wav.vtt").metadata().get("source-etag"));
    }

    @Test
    void givenBadCaptionConfiguration_whenTheContainerStarts_thenEachProblemIsNamed() {
        function.with("CAPTION_FORMATS", "srt,ass");
        ConfigException unknown = assertThrows(ConfigException.class, function::coldStart);
        assertEquals(List.of("CAPTION_FORMATS: 'srt,ass' is not a caption format list: use srt, vtt, srt,vtt or none"), unknown.problems());

        function.with("CAPTION_FORMATS", "vtt").with("DEEPGRAM_OPTIONS", "smart_format=true&multichannel=true");
        ConfigException multichannel = assertThrows(ConfigException.class, function::coldStart);
        assertEquals(List.of("CAPTION_FORMATS: captions need one audio channel, but DEEPGRAM_OPTIONS asks for multichannel=true:"
                + " set CAPTION_FORMATS empty, or drop multichannel"), multichannel.problems());
    }
}
