package dev.deepgramlambda.transcribe;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.standin.S3Notification;
import dev.deepgramlambda.testing.Fixtures;
import dev.deepgramlambda.testing.S3Events;
import dev.deepgramlambda.testing.TestContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10, item 5: an {@code OutOfMemoryError} is not a {@code RuntimeException}, so it escaped the
 * per-record guard and the event's other records lost their turn. A child JVM with a 64 MiB heap
 * gets an event of two records; Deepgram's answer to the first is one transcript string of 48 M
 * characters: spooled to /tmp without trouble, but the {@code .txt} reads that string whole (about
 * 96 MB as the parser buffers it), which that heap cannot hold. The second record is ordinary.
 */
class OutOfMemoryGuardTest {
    @RegisterExtension
    final FunctionHarness function = new FunctionHarness();

    @Test
    void givenARecordThatRunsOutOfMemory_whenTheEventHasAnother_thenTheOtherIsStillTranscribed() throws Exception {
        byte[] audio = Fixtures.bytes("audio/hello-en.wav");
        S3Notification.Upload big = function.upload("incoming/big-answer.wav", audio);
        S3Notification.Upload small = function.upload("incoming/small-answer.wav", audio);
        Buffer huge = new Buffer().writeUtf8("{\"metadata\":{\"request_id\":\"big\"},\"results\":{\"channels\":[{\"alternatives\":[{\"transcript\":\"");
        byte[] mebibyte = "a ".repeat(1 << 19).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 48; i++) {
            huge.write(mebibyte);
        }
        huge.writeUtf8("\"}]}]}}");
        function.deepgram.enqueue(new MockResponse.Builder().code(200).body(huge).build());

        String output = ChildFunction.run(function, List.of("-Xmx64m", "-XX:+UseSerialGC"), Map.of("DEEPGRAM_TIMEOUT_SECONDS", "60"),
                Probe.class, big.key(), big.eTag(), small.key(), small.eTag()).output();

        assertTrue(output.contains("{\"probe\":\"guard\",\"thrown\":\"TranscriptionFailedException\"}"), output);
        assertTrue(output.contains("\"reason\":\"out-of-memory\""), output);
        assertTrue(function.exists("transcripts/incoming/small-answer.wav.json"), "the second record still had its turn");
        assertFalse(function.exists("transcripts/incoming/big-answer.wav.json"));
    }

    /** The child: one event with both records; prints what the handler threw, if anything. */
    static final class Probe {
        private Probe() {}

        public static void main(String[] args) {
            TranscribeHandler handler = new TranscribeHandler(Env.system());
            String thrown = "nothing";
            try {
                handler.handleRequest(S3Events.objectCreated(
                        S3Notification.Upload.of(FunctionHarness.BUCKET, args[0], 1, args[1]),
                        S3Notification.Upload.of(FunctionHarness.BUCKET, args[2], 1, args[3])), new TestContext(Duration.ofMinutes(2)));
            } catch (RuntimeException e) {
                thrown = e.getClass().getSimpleName();
            }
            System.out.println("{\"probe\":\"guard\",\"thrown\":\"" + thrown + "\"}");
        }
    }
}
