package dev.deepgramlambda.transcribe;

import static dev.deepgramlambda.transcribe.FunctionHarness.BUCKET;

import dev.deepgramlambda.standin.FakeDeepgram.CallbackResult;
import dev.deepgramlambda.standin.S3Notification;
import dev.deepgramlambda.testing.Fixtures;
import dev.deepgramlambda.testing.ManualClock;
import dev.deepgramlambda.testing.S3Events;
import dev.deepgramlambda.transcribe.FunctionHarness.Invocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Lambda time per file in sync and callback delivery while Deepgram takes 5 s, 60 s and 600 s to
 * process: a benchmark, not a test (it takes about four minutes), run by
 * {@code mvn -pl functions/transcribe -am test -Dtest=DeliveryBenchmark -Dbench=delivery -Dsurefire.failIfNoSpecifiedTests=false}.
 * It prints a table and writes it to {@code functions/transcribe/target/delivery-benchmark.md}.
 *
 * <p>Sync waits for real, with the template's defaults (30 s per attempt, 3 attempts, 180 s
 * timeout). Callback mode does not wait at all: the stand-in holds the result while a manual clock
 * moves on by the processing time, then PUTs it; what is timed is the submitting invocation and the
 * completing one, as Lambda bills them.
 */
@EnabledIfSystemProperty(named = "bench", matches = "delivery")
class DeliveryBenchmark {
    private static final List<Duration> PROCESSING = List.of(Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(600));
    private static final byte[] AUDIO = Fixtures.bytes("audio/hello-en.wav");

    @Test
    void lambdaTimePerFile() throws IOException {
        List<String> rows = new ArrayList<>();
        rows.add("| Deepgram processing | sync: Lambda time | sync: outcome | callback: submit | callback: complete | callback: Lambda time |");
        rows.add("|---|---|---|---|---|---|");
        for (Duration processing : PROCESSING) {
            Run sync = sync(processing);
            Run[] callback = callback(processing);
            rows.add(String.format("| %d s | %.2f s | %s | %.2f s | %.2f s | %.2f s |", processing.toSeconds(),
                    sync.seconds(), sync.outcome(), callback[0].seconds(), callback[1].seconds(),
                    callback[0].seconds() + callback[1].seconds()));
        }
        String table = String.join("\n", rows);
        System.out.println(table);
        Files.writeString(Path.of("target/delivery-benchmark.md"), table + "\n");
    }

    private record Run(double seconds, String outcome) {}

    private static Run sync(Duration processing) {
        try (FunctionHarness function = new FunctionHarness()) {
            function.with("DELIVERY", "sync").with("DEEPGRAM_TIMEOUT_SECONDS", "30");
            function.deepgram.processingTime(processing);
            TranscribeHandler handler = function.coldStart();
            warmUp(function, handler);
            S3Notification.Upload upload = function.upload("incoming/long.wav", AUDIO);
            return timed(() -> function.invoke(handler, S3Events.objectCreated(upload), Duration.ofSeconds(180)));
        }
    }

    /** The submitting invocation, then the completing one. */
    private static Run[] callback(Duration processing) {
        try (FunctionHarness function = new FunctionHarness()) {
            function.with("DELIVERY", "callback").with("CALLBACK_BUCKET", BUCKET);
            function.deepgram.callbacks(CallbackResult.HELD, 1);
            ManualClock clock = new ManualClock(Instant.now());
            TranscribeHandler handler = function.handler(clock);
            warmUp(function, handler);
            function.deepgram.releaseHeldCallbacks();
            S3Notification.Upload upload = function.upload("incoming/long.wav", AUDIO);
            Run submit = timed(() -> function.invoke(handler, S3Events.objectCreated(upload), Duration.ofSeconds(180)));
            clock.advance(processing);
            function.deepgram.releaseHeldCallbacks();
            String resultKey = new PendingJobs(function.aws.s3(), BUCKET, "deepgram-callbacks/")
                    .find(BUCKET, "incoming/long.wav").orElseThrow().resultKey();
            awaitObject(function, resultKey);
            Run complete = timed(() -> function.invoke(handler, function.created(resultKey), Duration.ofSeconds(180)));
            return new Run[] {submit, complete};
        }
    }

    /** One file first, so the timed one runs in a warm container, as most do. */
    private static void warmUp(FunctionHarness function, TranscribeHandler handler) {
        function.invoke(handler, S3Events.objectCreated(function.upload("incoming/warm-up.wav", AUDIO)), Duration.ofSeconds(180));
    }

    private static Run timed(java.util.function.Supplier<Invocation> invocation) {
        long started = System.nanoTime();
        Invocation done = invocation.get();
        double seconds = (System.nanoTime() - started) / 1e9;
        String outcome = done.thrown() != null ? "failed, Lambda retries" : done.recordLog().path("outcome").asText();
        return new Run(seconds, outcome);
    }

    private static void awaitObject(FunctionHarness function, String key) {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < until) {
            if (function.exists(key)) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no callback result within 10 s");
    }
}
