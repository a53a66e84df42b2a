package dev.deepgramlambda.deepgram;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
    /** The production defaults, with more attempts than the backoff needs to reach its cap. */
    private final DeepgramSettings settings = DeepgramSettings.builder().maxAttempts(6).build();

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
