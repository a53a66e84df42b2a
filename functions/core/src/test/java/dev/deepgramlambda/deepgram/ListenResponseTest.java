package dev.deepgramlambda.deepgram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepgramlambda.spool.Spool;
import dev.deepgramlambda.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Issue 10, item 5: Deepgram's answer is spooled to /tmp, never held whole; only its small head is in memory. */
class ListenResponseTest {
    private static final String FIXTURE = "deepgram/listen-diarize-utterances-paragraphs-2speakers.json";

    @Test
    void givenARealAnswer_whenRead_thenTheFileIsByteForByteAndTheHeadHoldsMetadataButNotResults() throws IOException {
        byte[] body = Fixtures.bytes(FIXTURE);

        try (ListenResponse response = ListenResponse.read(new ByteArrayInputStream(body), -1)) {
            assertArrayEquals(body, Files.readAllBytes(response.file()));
            assertEquals(body.length, Files.size(response.file()));
            assertTrue(response.hasResults());
            assertFalse(response.head().has("results"), "the transcript itself stays on disk");
            assertEquals(Fixtures.json(new String(body, StandardCharsets.UTF_8)).path("metadata"), response.head().path("metadata"));
            assertEquals(Optional.of(Fixtures.json(new String(body, StandardCharsets.UTF_8)).path("metadata").path("request_id").asText()),
                    response.requestId());
            assertTrue(response.durationSeconds().isPresent());
            assertFalse(response.models().isEmpty());
        }
    }

    @Test
    void givenAResponse_whenClosed_thenItsFileIsGone() {
        ListenResponse response = ListenResponse.of("{\"metadata\":{},\"results\":{}}");
        Path file = response.file();
        assertTrue(Files.exists(file));

        response.close();

        assertFalse(Files.exists(file));
    }

    @Test
    void givenAnErrorBody_whenRead_thenItHasNoResultsAndItsFieldsAreInTheHead() {
        try (ListenResponse response = ListenResponse.of("{\"err_code\":\"INVALID_AUTH\",\"err_msg\":\"bad\",\"request_id\":\"r-1\"}")) {
            assertFalse(response.hasResults());
            assertEquals("INVALID_AUTH", response.head().path("err_code").asText());
        }
    }

    @Test
    void givenABodyStreamedPastTheLimit_whenRead_thenItIsRefusedAsTooLargeAndNothingStaysOnDisk() throws IOException {
        List<Path> before = spooled();
        InputStream endless = new SequenceInputStream(new ByteArrayInputStream("{\"pad\":\"".getBytes(StandardCharsets.US_ASCII)),
                InputStream.nullInputStream()) {
            @Override
            public int read(byte[] buffer, int offset, int length) {
                java.util.Arrays.fill(buffer, offset, offset + length, (byte) 'x');
                return length;
            }
        };

        DeepgramException e = assertThrows(DeepgramException.class, () -> ListenResponse.read(endless, -1, 1 << 20));

        assertEquals(DeepgramException.Kind.RESPONSE_TOO_LARGE, e.kind());
        assertTrue(e.getMessage().contains("more than 1048576 bytes"), e.getMessage());
        assertEquals(before, spooled());
    }

    @Test
    void givenABodyAnnouncedPastTheLimit_whenRead_thenItIsRefusedUnread() {
        InputStream neverRead = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("a body announced too large must not be read");
            }
        };

        DeepgramException e = assertThrows(DeepgramException.class, () -> ListenResponse.read(neverRead, 2048, 1024));

        assertEquals(DeepgramException.Kind.RESPONSE_TOO_LARGE, e.kind());
    }

    @Test
    void givenABodyThatIsNotAJsonObject_whenRead_thenItIsUnreadableAndNothingStaysOnDisk() throws IOException {
        List<Path> before = spooled();
        for (String body : List.of("<html>proxy says hi</html>", "[1,2]", "{\"metadata\":{},\"results\":{\"channels\":[", "")) {
            DeepgramException e = assertThrows(DeepgramException.class, () -> ListenResponse.of(body), body);
            assertEquals(DeepgramException.Kind.RESPONSE_UNREADABLE, e.kind(), body);
        }
        assertEquals(before, spooled());
    }

    @Test
    void givenTheSourceFailsMidway_whenRead_thenTheIOExceptionIsTheSourcesAndNothingStaysOnDisk() throws IOException {
        List<Path> before = spooled();
        InputStream broken = new SequenceInputStream(new ByteArrayInputStream("{\"metadata\":".getBytes(StandardCharsets.US_ASCII)),
                new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new IOException("connection reset");
                    }
                });

        IOException e = assertThrows(IOException.class, () -> ListenResponse.read(broken, -1));

        assertEquals("connection reset", e.getMessage());
        assertEquals(before, spooled());
    }

    /** The files in this process's spool folder. */
    private static List<Path> spooled() throws IOException {
        Path probe = Spool.newFile(".probe");
        Spool.delete(probe);
        try (Stream<Path> files = Files.list(probe.getParent())) {
            return files.sorted().toList();
        }
    }
}
