package dev.deepgramlambda.health.check;

import java.util.Locale;

/**
 * A verdict. The overall verdict is the worst of the checks' verdicts; {@link #SKIPPED} only ever
 * describes a single check that could not run because an earlier one failed.
 */
public enum Status {
    HEALTHY, DEGRADED, UNHEALTHY, SKIPPED;

    /** The word used in answers, logs and metric properties. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What the {@code HealthCheck} metric reports: degraded still serves transcriptions, so it passes. */
    public boolean passes() {
        return this == HEALTHY || this == DEGRADED;
    }

    /** The worse of the two; a skipped check neither helps nor hurts. */
    Status worse(Status other) {
        return other != SKIPPED && other.ordinal() > ordinal() ? other : this;
    }
}
