package dev.deepgramlambda.deepgram;

import java.time.Duration;
import java.security.SecureRandom;

/**
 * Decides, after each failed attempt of one call, whether another attempt is allowed and how long
 * to wait first. resilience4j's Retry runs the loop; this holds what it cannot know: the Lambda
 * deadline and the server's {@code Retry-After}.
 */
final class RetryBudget {
    /**
     * Not ThreadLocalRandom: under SnapStart a generator seeded before the snapshot would give every
     * environment resumed from it the same jitter, and their retries would hit Deepgram in step.
     * SecureRandom draws on the OS's entropy, which differs after each restore.
     */
    private static final SecureRandom JITTER = new SecureRandom();
    private final DeepgramSettings settings;
    private final Deadline deadline;
    private final CallStats stats;
    private long nextWaitMillis;

    RetryBudget(DeepgramSettings settings, Deadline deadline, CallStats stats) {
        this.settings = settings;
        this.deadline = deadline;
        this.stats = stats;
    }

    /** Called by resilience4j once per failed attempt, before it waits. */
    boolean allowsRetryAfter(Throwable failure) {
        if (!(failure instanceof DeepgramException e) || !e.retryable(stats.attempts())) {
            return false;
        }
        if (stats.attempts() >= settings.maxAttempts()) {
            stats.stopped("all " + settings.maxAttempts() + " attempts failed");
            return false;
        }
        Duration wait;
        if (e.retryAfter().isPresent()) {
            wait = e.retryAfter().get();
            if (wait.compareTo(settings.backoffMax()) > 0) {
                stats.stopped("Retry-After of " + wait.toSeconds() + " s exceeds the longest backoff");
                return false;
            }
        } else {
            wait = backoff(stats.attempts());
        }
        Duration needed = wait.plus(settings.requestTimeout()).plus(DeepgramClient.DEADLINE_RESERVE);
        if (deadline.remaining().compareTo(needed) < 0) {
            stats.stopped("another attempt could not finish before the Lambda deadline");
            return false;
        }
        nextWaitMillis = wait.toMillis();
        return true;
    }

    long nextWaitMillis() {
        return nextWaitMillis;
    }

    /**
     * Exponential backoff with "equal jitter": half of base x 2^(n-1) (capped) is fixed, the other
     * half random, so concurrent containers spread out but still wait a meaningful minimum.
     */
    Duration backoff(int failedAttempts) {
        long exponential = settings.backoffBase().toMillis() << Math.min(failedAttempts - 1, 20);
        long capped = Math.min(exponential, settings.backoffMax().toMillis());
        long half = capped / 2;
        return Duration.ofMillis(half + JITTER.nextLong(capped - half + 1));
    }
}
