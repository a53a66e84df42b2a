package dev.deepgramlambda.transcribe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepgramlambda.standin.MotoServer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    final FunctionHarness function = new FunctionHarness();

    @Test
    void givenAnObjectFourTimesLargerThanTheHeap_whenStreamed_thenItReachesDeepgramWhole() throws Exception {
        long size = Long.getLong("streaming.objectMiB", 256) * MIB;
        String key = "incoming/long-recording.wav";
        String eTag = function.aws.s3().putObject(r -> r.bucket(FunctionHarness.BUCKET).key(key).contentType("audio/wav"),
                RequestBody.fromInputStream(new SyntheticWav(size), size)).eTag().replace("\"", "");

        ProcessBuilder builder = new ProcessBuilder(command(key, size, eTag)).redirectErrorStream(true);
        builder.environment().putAll(function.environment());
        // Sync delivery: the function itself streams the whole object and waits for the transcript
        // (in auto mode an object this large would go by callback).
        builder.environment().putAll(Map.of("AUDIO_SOURCE", "stream", "DELIVERY", "sync", "DEEPGRAM_TIMEOUT_SECONDS", "240",
                "AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_KEY));
        Process child = builder.start();
        child.getOutputStream().close();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(5, TimeUnit.MINUTES));

        assertEquals(0, child.exitValue(), output);
        assertEquals(size, function.deepgram.requests().get(0).getBodySize(), "every byte was sent");
        assertTrue(function.exists("transcripts/" + key + ".json"));
        JsonNode probe = JSON.readTree(output.lines().filter(l -> l.contains("\"probe\"")).findFirst().orElseThrow());
        assertTrue(probe.path("peakHeapBytes").asLong() < 64 * MIB);
        System.err.printf("MEASURED streaming: %d MiB object, peak heap %.1f MiB (max heap %d MiB)%n", size / MIB,
                probe.path("peakHeapBytes").asLong() / (double) MIB, probe.path("maxHeapBytes").asLong() / MIB);
    }

    private List<String> command(String key, long size, String eTag) {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-XX:+UseSerialGC",
                "-cp", classpath, StreamingMemoryProbe.class.getName(), FunctionHarness.BUCKET, key, Long.toString(size), eTag);
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
