package dev.deepgramlambda.transcribe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepgramlambda.standin.FakeDeepgram;
import dev.deepgramlambda.standin.S3Notification;
import dev.deepgramlambda.testing.S3Events;
import dev.deepgramlambda.testing.Fixtures;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import okio.BufferedSink;
import okio.Okio;
import okio.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10, item 5: Deepgram's answer is never held whole. A diarized answer with words,
 * paragraphs and utterances, several times the child JVM's 64 MiB heap, becomes its {@code .json}
 * (byte for byte), {@code .txt}, {@code .srt} and {@code .vtt}: 320 MiB answered synchronously
 * ({@code -Dlarge.responseMiB=N}), 256 MiB written by Deepgram's callback ({@code -Dlarge.resultMiB=N}),
 * the path long recordings take. This is also the benchmark for peak heap on those paths: the child
 * prints it and this test echoes it to its report.
 */
class LargeResponseMemoryTest {
    private static final long MIB = 1024 * 1024;
    private static final int HEAP_MIB = 64;
    private static final String KEY = "incoming/day-long.wav";
    private static final String CALLBACK_PREFIX = "deepgram-callbacks/";
    @RegisterExtension
    final FunctionHarness function = new FunctionHarness();

    @Test
    void givenAnAnswerFiveTimesLargerThanTheHeap_whenTranscribedSynchronously_thenEveryFileIsWritten(@TempDir Path folder)
            throws Exception {
        Path answer = folder.resolve("answer.json");
        String requestId = "4f1e2c1a-0000-4000-8000-000000000001";
        long words = LongAnswer.write(answer, Long.getLong("large.responseMiB", 320) * MIB, requestId);
        function.deepgram.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .body(new FileBody(answer)).build());
        function.with("DELIVERY", "sync");
        S3Notification.Upload upload = function.upload(KEY, Fixtures.bytes("audio/hello-en.wav"));

        assertEveryFileWritten("sync", answer, words, requestId, upload);
    }

    @Test
    void givenACallbackResultFourTimesLargerThanTheHeap_whenItArrives_thenEveryFileIsWritten(@TempDir Path folder) throws Exception {
        function.with("DELIVERY", "callback").with("CALLBACK_BUCKET", FunctionHarness.BUCKET);
        function.deepgram.callbacks(FakeDeepgram.CallbackResult.HELD, 1);
        S3Notification.Upload upload = function.upload(KEY, Fixtures.bytes("audio/hello-en.wav"));
        assertNull(function.invoke(function.coldStart(), S3Events.objectCreated(upload)).thrown());
        PendingJob job = new PendingJobs(function.aws.s3(), FunctionHarness.BUCKET, CALLBACK_PREFIX)
                .find(FunctionHarness.BUCKET, KEY).orElseThrow();
        Path result = folder.resolve("result.json");
        long words = LongAnswer.write(result, Long.getLong("large.resultMiB", 256) * MIB, job.requestId().orElseThrow());
        // Where Deepgram PUTs the result through the presigned URL; its ObjectCreated event starts the completion.
        String eTag = function.aws.s3().putObject(r -> r.bucket(FunctionHarness.BUCKET).key(job.resultKey()),
                software.amazon.awssdk.core.sync.RequestBody.fromFile(result)).eTag().replace("\"", "");

        assertEveryFileWritten("callback", result, words, job.requestId().orElseThrow(),
                S3Notification.Upload.of(FunctionHarness.BUCKET, job.resultKey(), Files.size(result), eTag));
    }

    /** Hands {@code event} to the function in a child JVM with a small heap, then checks every output against the answer. */
    private void assertEveryFileWritten(String delivery, Path answer, long words, String requestId, S3Notification.Upload event)
            throws Exception {
        long started = System.nanoTime();
        ChildFunction child = ChildFunction.run(function, List.of("-Xmx" + HEAP_MIB + "m", "-XX:+UseSerialGC"),
                Map.of("CAPTION_FORMATS", "srt,vtt", "DEEPGRAM_TIMEOUT_SECONDS", "240"),
                StreamingMemoryProbe.class, event.bucket(), event.key(), Long.toString(event.size()), event.eTag());
        double seconds = (System.nanoTime() - started) / 1e9;

        assertTrue(child.output().contains("\"reason\":\"transcribed\""), child.output());
        String base = "transcripts/" + KEY;
        assertEquals(md5(answer), function.head(base + ".json").eTag().replace("\"", ""), "the .json is Deepgram's answer byte for byte");
        String text = function.read(base + ".txt");
        assertTrue(text.startsWith("Speaker 0: Word0 word1"), text.substring(0, 100));
        long labels = Pattern.compile("Speaker \\d+:").matcher(text).results().count();
        assertEquals(words, text.strip().split("\\s+").length - 2 * labels, "every word once, in turns of 100");
        assertEquals(words / 100 + (words % 100 == 0 ? 0 : 1), labels);
        String srt = function.read(base + ".srt");
        assertTrue(srt.startsWith("1\n00:00:00,000 --> "), srt.substring(0, 100));
        long cues = Pattern.compile("(?m)^\\d+$").matcher(srt).results().count();
        assertTrue(cues >= words / 20 && cues <= words, cues + " cues: at least one per 20-word utterance, at most one per word");
        String lastTiming = srt.lines().filter(line -> line.contains(" --> ")).reduce((first, second) -> second).orElseThrow();
        long lastEnd = millis(lastTiming.substring(lastTiming.indexOf(" --> ") + 5));
        assertTrue(lastEnd > (words - 1) * 400L && lastEnd <= words * 400L + 100, lastTiming + ": the last cue ends with the last word");
        assertTrue(function.read(base + ".vtt").startsWith("WEBVTT\n\nNOTE Transcribed by Deepgram, request " + requestId + "\n"));
        JsonNode probe = child.probe();
        System.err.printf(Locale.ROOT, "MEASURED large answer (%s): %d MiB answer (%d words), .txt %d KiB, .srt %d KiB; peak heap"
                        + " %.1f MiB (max heap %d MiB); %.1f s in the child%n", delivery, Files.size(answer) / MIB, words,
                text.length() / 1024, srt.length() / 1024, probe.path("peakHeapBytes").asLong() / (double) MIB,
                probe.path("maxHeapBytes").asLong() / MIB, seconds);
    }

    /** {@code HHH:MM:SS,mmm} in milliseconds. */
    private static long millis(String timestamp) {
        String[] parts = timestamp.split("[:,]");
        return ((Long.parseLong(parts[0]) * 60 + Long.parseLong(parts[1])) * 60 + Long.parseLong(parts[2])) * 1000 + Long.parseLong(parts[3]);
    }

    private static String md5(Path file) throws Exception {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md5)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    /** Serves a file as the body without loading it. */
    private record FileBody(Path file) implements MockResponseBody {
        @Override
        public long getContentLength() {
            try {
                return Files.size(file);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            try (Source source = Okio.source(file)) {
                sink.writeAll(source);
            }
        }
    }

    /**
     * A day-long diarized answer in Deepgram's shape (smart_format, diarize, paragraphs,
     * utterances): speakers take turns of 100 words, sentences have 10, utterances 20.
     */
    static final class LongAnswer {
        /** Bytes one word adds to the whole answer, near enough to size it. */
        private static final int BYTES_PER_WORD = 330;

        private LongAnswer() {}

        /** @return how many words the answer has */
        static long write(Path file, long bytes, String requestId) throws IOException {
            long words = bytes / BYTES_PER_WORD;
            try (Writer out = new BufferedWriter(Files.newBufferedWriter(file), 1 << 16)) {
                out.write("{\"metadata\":{\"transaction_key\":\"deprecated\",\"request_id\":\"" + requestId + "\","
                        + "\"created\":\"2026-12-03T00:00:00.000Z\",\"duration\":" + seconds(words * 400 + 100) + ",\"channels\":1,"
                        + "\"models\":[\"2187e11a-3532-4498-b076-81fa530bdd49\"],\"model_info\":{\"2187e11a-3532-4498-b076-81fa530bdd49\":"
                        + "{\"name\":\"general-nova-3\",\"version\":\"2025-01-01.0\",\"arch\":\"nova-3\"}}},");
                out.write("\"results\":{\"channels\":[{\"alternatives\":[{\"transcript\":\"");
                for (long i = 0; i < words; i++) {
                    out.write((i == 0 ? "" : " ") + punctuated(i));
                }
                out.write("\",\"confidence\":0.98,\"words\":[");
                writeWords(out, 0, words);
                out.write("],\"paragraphs\":{\"transcript\":\"");
                for (long i = 0; i < words; i++) {
                    out.write(i % 100 == 0 ? "\\n" + (i == 0 ? "" : "\\n") + "Speaker " + speaker(i) + ": " : " ");
                    out.write(punctuated(i));
                }
                out.write("\",\"paragraphs\":[");
                for (long first = 0; first < words; first += 100) {
                    long last = Math.min(words, first + 100);
                    out.write((first == 0 ? "" : ",") + "{\"sentences\":[");
                    for (long s = first; s < last; s += 10) {
                        StringBuilder sentence = new StringBuilder();
                        for (long i = s; i < Math.min(last, s + 10); i++) {
                            sentence.append(i == s ? "" : " ").append(punctuated(i));
                        }
                        out.write((s == first ? "" : ",") + "{\"text\":\"" + sentence + "\",\"start\":" + seconds(s * 400)
                                + ",\"end\":" + seconds(Math.min(last, s + 10) * 400 - 100) + "}");
                    }
                    out.write("],\"speaker\":" + speaker(first) + ",\"num_words\":" + (last - first) + ",\"start\":"
                            + seconds(first * 400) + ",\"end\":" + seconds(last * 400 - 100) + "}");
                }
                out.write("]}}]}],\"utterances\":[");
                for (long first = 0; first < words; first += 20) {
                    long last = Math.min(words, first + 20);
                    StringBuilder transcript = new StringBuilder();
                    for (long i = first; i < last; i++) {
                        transcript.append(i == first ? "" : " ").append(punctuated(i));
                    }
                    out.write((first == 0 ? "" : ",") + "{\"start\":" + seconds(first * 400) + ",\"end\":" + seconds(last * 400 - 100)
                            + ",\"confidence\":0.97,\"channel\":0,\"transcript\":\"" + transcript + "\",\"words\":[");
                    writeWords(out, first, last);
                    out.write("],\"speaker\":" + speaker(first) + ",\"id\":\"00000000-0000-4000-8000-" + String.format(Locale.ROOT, "%012d", first)
                            + "\"}");
                }
                out.write("]}}");
            }
            return words;
        }

        private static void writeWords(Writer out, long first, long last) throws IOException {
            for (long i = first; i < last; i++) {
                out.write((i == first ? "" : ",") + "{\"word\":\"word" + i % 1000 + "\",\"start\":" + seconds(i * 400) + ",\"end\":"
                        + seconds(i * 400 + 300) + ",\"confidence\":0.9871,\"speaker\":" + speaker(i)
                        + ",\"speaker_confidence\":0.8123,\"punctuated_word\":\"" + punctuated(i) + "\"}");
            }
        }

        /** Sentences of ten words: capitalised first word, full stop after the last. */
        private static String punctuated(long i) {
            String word = (i % 10 == 0 ? "Word" : "word") + i % 1000;
            return i % 10 == 9 ? word + "." : word;
        }

        private static long speaker(long i) {
            return i / 100 % 3;
        }

        private static String seconds(long millis) {
            return String.format(Locale.ROOT, "%d.%03d", millis / 1000, millis % 1000);
        }
    }
}
