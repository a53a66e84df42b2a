package dev.deepgramlambda.transcribe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Stream mode holds the audio in constant memory: a 256 MiB object (override with
 * {@code -Dstreaming.objectMiB=N}) is transcribed by a child JVM limited to a 64 MiB heap. This is
 * also the benchmark for peak heap: the child prints it, and this test echoes it to its report.
 */
class StreamingMemoryTest {
    private static final long MIB = 1024 * 1024;
    @RegisterExtension
    final FunctionHarness function = new FunctionHarness();

    @Test
    void givenAnObjectFourTimesLargerThanTheHeap_whenStreamed_thenItReachesDeepgramWhole() throws Exception {
        long size = Long.getLong("streaming.objectMiB", 256) * MIB;
        String key = "incoming/long-recording.wav";
        String eTag = function.aws.s3().putObject(r -> r.bucket(FunctionHarness.BUCKET).key(key).contentType("audio/wav"),
                RequestBody.fromInputStream(new SyntheticWav(size), size)).eTag().replace("\"", "");

        // Sync delivery: the function itself streams the whole object and waits for the transcript
        // (in auto mode an object this large would go by callback).
        ChildFunction child = ChildFunction.run(function, List.of("-Xmx64m", "-XX:+UseSerialGC"),
                Map.of("AUDIO_SOURCE", "stream", "DELIVERY", "sync", "DEEPGRAM_TIMEOUT_SECONDS", "240"),
                StreamingMemoryProbe.class, FunctionHarness.BUCKET, key, Long.toString(size), eTag);

        assertEquals(size, function.deepgram.requests().get(0).getBodySize(), "every byte was sent");
        assertTrue(function.exists("transcripts/" + key + ".json"));
        JsonNode probe = child.probe();
        assertTrue(probe.path("peakHeapBytes").asLong() < 64 * MIB);
        System.err.printf("MEASURED streaming: %d MiB object, peak heap %.1f MiB (max heap %d MiB)%n", size / MIB,
                probe.path("peakHeapBytes").asLong() / (double) MIB, probe.path("maxHeapBytes").asLong() / MIB);
    }

    /** A WAV header followed by silence, generated on the fly so the test itself needs no memory for it. */
    private static final class SyntheticWav extends InputStream {
        private final byte[] header = "RIFF\0\0\0\0WAVEfmt ".getBytes(StandardCharsets.US_ASCII);
        private final long size;
        private long position;

        SyntheticWav(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            if (position >= size) {
                return -1;
            }
            return position < header.length ? header[(int) position++] : zero();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(length, size - position);
            for (int i = 0; i < n; i++) {
                buffer[offset + i] = position < header.length ? header[(int) position] : 0;
                position++;
            }
            return n;
        }

        private int zero() {
            position++;
            return 0;
        }
    }
}
