package dev.deepgramlambda.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deepgramlambda.standin.FakeDeepgram;
import dev.deepgramlambda.config.Settings;
import dev.deepgramlambda.testing.ManualClock;
import dev.deepgramlambda.testing.StdoutCapture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How many Deepgram calls a flood of {@code GET /health} requests causes in one container. The
 * numbers asserted here are the ones docs/health.md reports; across containers multiply by the
 * function's concurrency, which the template caps.
 */
class AmplificationBoundTest {
    private static final int REQUESTS = 1000;

    @RegisterExtension
    final HealthTestBed bed = new HealthTestBed().set(Settings.HEALTH_CACHE_SECONDS.name(), "30");
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-29T12:00:00Z"));

    @Test
    void thousandRequestsWithinOneCachePeriodMakeOneDeepgramCall() {
        // Given a container with a 30 s verdict cache
        HealthCheckHandler handler = bed.secret(FakeDeepgram.VALID_KEY).handler(clock);

        // When 1000 /health requests arrive 25 ms apart (25 s in all)
        List<Integer> statusCodes = new ArrayList<>();
        int emfLines;
        try (StdoutCapture stdout = new StdoutCapture()) {
            for (int i = 0; i < REQUESTS; i++) {
                statusCodes.add(bed.getHealth(handler).statusCode());
                clock.advance(Duration.ofMillis(25));
            }
            emfLines = stdout.emfLines().size();
        }

        // Then every request got 200, from one Deepgram call and one secret read
        assertEquals(List.of(200), statusCodes.stream().distinct().toList());
        assertEquals(1, bed.deepgram.requests().size(), "Deepgram calls");
        assertEquals(1, bed.secretsManagerCalls(), "Secrets Manager calls");
        assertEquals(1, emfLines, "one metric line per real check");
    }

    @Test
    void thousandRequestsOverTenMinutesMakeOneDeepgramCallPerCachePeriod() {
        // Given a container with a 30 s verdict cache
        HealthCheckHandler handler = bed.secret(FakeDeepgram.VALID_KEY).handler(clock);

        // When 1000 /health requests arrive 600 ms apart (600 s in all)
        for (int i = 0; i < REQUESTS; i++) {
            bed.getHealth(handler);
            clock.advance(Duration.ofMillis(600));
        }

        // Then Deepgram was called once per 30 s: 600 s / 30 s = 20 times; the secret read at 0 and
        // when its 300 s cache expired
        assertEquals(20, bed.deepgram.requests().size(), "Deepgram calls");
        assertEquals(2, bed.secretsManagerCalls(), "Secrets Manager calls");
    }

    @Test
    void duringAnOutageUnhealthyVerdictsAreCachedToo() {
        // Given Deepgram fails once (a second call would succeed and show up as a 200)
        HealthCheckHandler handler = bed.secret(FakeDeepgram.VALID_KEY).handler(clock);
        bed.deepgram.enqueue(new MockResponse.Builder().code(503).body("upstream connect error").build());

        // When 1000 /health requests arrive within the cache period
        List<Integer> statusCodes = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            statusCodes.add(bed.getHealth(handler).statusCode());
            clock.advance(Duration.ofMillis(25));
        }

        // Then all answer 503 from the one failed call: an outage is not met with a request storm
        assertEquals(List.of(503), statusCodes.stream().distinct().toList());
        assertEquals(1, bed.deepgram.requests().size(), "Deepgram calls");
    }

    @Test
    void overlappingRequestsWaitForTheRunningCheckInsteadOfStartingTheirOwn() throws Exception {
        // Given Deepgram takes 300 ms to answer
        HealthCheckHandler handler = bed.secret(FakeDeepgram.VALID_KEY).handler(clock);
        bed.deepgram.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .body("{\"projects\":[]}").headersDelay(300, TimeUnit.MILLISECONDS).build());

        // When 1000 /health requests arrive from 8 threads at once
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < REQUESTS; i++) {
                answers.add(pool.submit(() -> bed.getHealth(handler).statusCode()));
            }
            for (Future<Integer> answer : answers) {
                assertEquals(200, answer.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        // Then one check ran; the others waited for its verdict
        assertEquals(1, bed.deepgram.requests().size(), "Deepgram calls");
    }
}
