package dev.deepgramlambda.health.check;

import java.time.Duration;

/**
 * How the canary checks.
 *
 * @param timeout for each Deepgram call the canary makes
 * @param degradedAfter a successful connectivity call slower than this is reported degraded
 * @param cacheFor how long a verdict answers {@code /health} before Deepgram is asked again
 * @param deepCheckEvery how often a scheduled run transcribes the bundled clip; zero switches it off
 * @param model the model the deep check transcribes with
 */
public record CheckSettings(Duration timeout, Duration degradedAfter, Duration cacheFor, Duration deepCheckEvery,
                            String model) {

    public boolean deepCheckEnabled() {
        return !deepCheckEvery.isZero();
    }
}
