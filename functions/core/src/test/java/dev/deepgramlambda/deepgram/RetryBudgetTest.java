package dev.deepgramlambda.deepgram;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
    private final DeepgramSettings settings = new DeepgramSettings(HttpUrl.get("https://api.deepgram.com"),
            Duration.ofSeconds(10), Duration.ofSeconds(30), 6, Duration.ofSeconds(1), Duration.ofSeconds(20), Duration.ofSeconds(30));

    @Test
    void givenSuccessiveFailures_whenBackingOff_thenEachWaitLiesInTheHalfToFullExponentialWindowCappedAtTheMaximum() {
        RetryBudget budget = new RetryBudget(settings, Deadline.in(Duration.ofMinutes(15)), new CallStats());
        long[] ceilings = {1000, 2000, 4000, 8000, 16000, 20000, 20000};

        for (int failed = 1; failed <= ceilings.length; failed++) {
            long ceiling = ceilings[failed - 1];
            for (int sample = 0; sample < 200; sample++) {
                long wait = budget.backoff(failed).toMillis();
                assertTrue(wait >= ceiling / 2 && wait <= ceiling,
                        "after " + failed + " failures waited " + wait + " ms, expected " + ceiling / 2 + ".." + ceiling);
            }
        }
    }
}
