package dev.deepgramlambda.deepgram;

import java.time.Duration;

/** When the current Lambda invocation will be stopped; no Deepgram attempt may outlive it. */
public final class Deadline {
    private final long deadlineNanos;

    private Deadline(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    /** A deadline {@code remaining} from now, e.g. {@code Context.getRemainingTimeInMillis()}. */
    public static Deadline in(Duration remaining) {
        return new Deadline(System.nanoTime() + remaining.toNanos());
    }

    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }
}
