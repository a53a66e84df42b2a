package dev.deepgramlambda.transcribe;

import static dev.deepgramlambda.transcribe.FunctionHarness.BUCKET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.fasterxml.jackson.databind.JsonNode;
import dev.deepgramlambda.standin.S3Notification;
import dev.deepgramlambda.testing.Fixtures;
import dev.deepgramlambda.testing.S3Events;
import dev.deepgramlambda.testing.StdoutCapture;
import dev.deepgramlambda.testing.TestContext;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A bulk load through callback delivery with admission control: 200 uploads at once against a
 * Deepgram stand-in that allows 10 concurrent jobs and takes about a second per job. Lambda is
 * played as it behaves: S3 events are invoked asynchronously on a pool of warm containers, a
 * thrown error is retried once (the template's MaximumRetryAttempts) and then goes to the failure
 * destination; the sweep runs on a schedule, one run at a time (every 2 s here instead of every
 * minute).
 */
class BurstAdmissionTest {
    private static final int UPLOADS = 200;
    private static final int LIMIT = 10;
    private static final Duration JOB_TIME = Duration.ofSeconds(1);
    private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(150);
    private static final String PREFIX = "deepgram-callbacks/";

    @RegisterExtension
    final FunctionHarness function = new FunctionHarness()
            .with("DELIVERY", "callback")
            .with("DEEPGRAM_MAX_CONCURRENCY", Integer.toString(LIMIT))
            .with("CALLBACK_BUCKET", BUCKET);
    private final SimulatedLambda lambda = new SimulatedLambda();

    @AfterEach
    void tearDown() {
        lambda.close();
    }

    @Test
    void givenABurstOfUploads_thenEveryOneIsTranscribedWithinDeepgramsLimitAndNothingReachesTheFailureQueue() throws Exception {
        function.deepgram.concurrencyLimit(LIMIT).processingTime(JOB_TIME);
        byte[] audio = Fixtures.bytes("audio/hello-en.wav");
        List<S3Notification.Upload> uploads = new ArrayList<>();
        for (int i = 0; i < UPLOADS; i++) {
            uploads.add(function.upload(String.format("incoming/archive/call-%03d.wav", i), audio));
        }
        long started = System.nanoTime();
        List<JsonNode> emf;
        List<JsonNode> records;
        try (StdoutCapture stdout = new StdoutCapture()) {
            uploads.forEach(upload -> lambda.invokeAsync(S3Events.objectCreated(upload)));
            lambda.startSweeping();
            while (transcripts() < UPLOADS && System.nanoTime() - started < GIVE_UP_AFTER.toNanos()) {
                lambda.deliverNewResults();
                Thread.sleep(50);
            }
            lambda.drain();
            emf = stdout.emfLines();
            records = stdout.logLines().stream().filter(l -> l.has("outcome")).toList();
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        List<Double> waits = emf.stream().filter(l -> l.has("AdmissionWaitSeconds"))
                .map(l -> l.path("AdmissionWaitSeconds").asDouble()).sorted().toList();
        long queuedOutcomes = emf.stream().filter(l -> "queued".equals(l.path("Status").asText())).count();
        System.out.printf("MEASURED burst: uploads=%d transcripts=%d limit=%d jobTime=%dms seconds=%.1f throughput=%.1f/s "
                        + "peakInFlight=%d deepgram429=%d queuedOutcomes=%d admittedFromQueue=%d waitP50=%.1fs waitP95=%.1fs "
                        + "waitMax=%.1fs failureQueue=%d paidRequests=%d%n",
                UPLOADS, transcripts(), LIMIT, JOB_TIME.toMillis(), seconds, transcripts() / seconds,
                function.deepgram.peakJobsInFlight(), function.deepgram.rateLimitedCount(), queuedOutcomes, waits.size(),
                percentile(waits, 0.50), percentile(waits, 0.95), percentile(waits, 1.0),
                lambda.failureDestination.size(), function.deepgram.acceptedJobs());
        System.out.println("MEASURED burst outcomes: " + records.stream().collect(java.util.stream.Collectors.groupingBy(
                l -> l.path("outcome").asText() + "/" + l.path("reason").asText(), java.util.TreeMap::new,
                java.util.stream.Collectors.counting())));

        assertEquals(UPLOADS, transcripts(), "every upload ends as a transcript");
        assertEquals(List.of(), lambda.failureDestination, "nothing on the failure queue");
        assertTrue(function.deepgram.peakJobsInFlight() <= LIMIT, "in flight at Deepgram: " + function.deepgram.peakJobsInFlight());
        // Admission keeps submissions under the limit; a 429 can only come from a slot two containers
        // both believed free, which S3's conditional create rules out (moto: nearly).
        assertTrue(function.deepgram.rateLimitedCount() <= UPLOADS / 20, "429s: " + function.deepgram.rateLimitedCount());
        assertEquals(UPLOADS, function.deepgram.acceptedJobs(), "one paid job per upload");
        assertEquals(List.of(), function.keys(PREFIX + "queue/"));
        assertEquals(List.of(), function.keys(PREFIX + "slots/"), "every slot was given back");
        assertEquals(List.of(), function.keys(PREFIX + "pending/"));
    }

    private int transcripts() {
        return (int) function.keys("transcripts/incoming/archive/").stream().filter(k -> k.endsWith(".wav.json")).count();
    }


    private static double percentile(List<Double> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
    }

    /** Lambda's asynchronous invocation, S3's notifications of results, and the sweep's schedule. */
    private final class SimulatedLambda implements AutoCloseable {
        private static final int CONTAINERS = 16;
        private final ExecutorService pool = Executors.newFixedThreadPool(CONTAINERS);
        private final ThreadLocal<TranscribeHandler> container = ThreadLocal.withInitial(this::coldStart);
        private final Set<String> notified = ConcurrentHashMap.newKeySet();
        private final AtomicInteger running = new AtomicInteger();
        final List<String> failureDestination = new CopyOnWriteArrayList<>();
        private final ExecutorService schedule = Executors.newSingleThreadExecutor();
        private volatile boolean closed;

        private TranscribeHandler coldStart() {
            return function.handler(Clock.systemUTC());
        }

        void invokeAsync(S3Event event) {
            running.incrementAndGet();
            pool.submit(() -> {
                try {
                    for (int attempt = 0; attempt <= 1; attempt++) {
                        try {
                            container.get().handleRequest(event, new TestContext(Duration.ofSeconds(180)));
                            return;
                        } catch (RuntimeException e) {
                            if (attempt == 1) {
                                failureDestination.add(e.getMessage());
                            }
                        }
                    }
                } finally {
                    running.decrementAndGet();
                }
            });
        }

        /** S3 notifies each result Deepgram wrote, once. */
        void deliverNewResults() {
            for (S3Object result : function.aws.s3().listObjectsV2Paginator(r -> r.bucket(BUCKET).prefix(PREFIX + "results/")).contents()) {
                if (notified.add(result.key() + result.eTag())) {
                    invokeAsync(S3Events.objectCreated(S3Notification.Upload.of(BUCKET, result.key(), result.size(), result.eTag())));
                }
            }
        }

        /** The sweep's schedule: one run at a time (reserved concurrency 1), a new one 2 s after the last ends. */
        void startSweeping() {
            CallbackSweepHandler sweep = function.sweep(Clock.systemUTC());
            schedule.submit(() -> {
                while (!closed) {
                    sweep.handleRequest(Map.of(), new TestContext(Duration.ofSeconds(300)));
                    Thread.sleep(2000);
                }
                return null;
            });
        }

        void drain() throws InterruptedException {
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (running.get() > 0 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
        }

        @Override
        public void close() {
            closed = true;
            schedule.shutdownNow();
            pool.shutdownNow();
            try {
                pool.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
