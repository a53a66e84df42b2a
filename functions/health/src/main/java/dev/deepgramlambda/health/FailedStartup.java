package dev.deepgramlambda.health;

import dev.deepgramlambda.deepgram.Deadline;
import dev.deepgramlambda.health.check.HealthChecks;
import dev.deepgramlambda.health.check.HealthReport;
import dev.deepgramlambda.health.check.Reading;
import java.time.Clock;

/**
 * Stands in for the checks when the container could not set them up, above all when the
 * environment is invalid. Failing the container's start instead would leave the canary silent;
 * this way every run still reports {@code HealthCheck} = 0 and {@code /health} names what to fix.
 */
final class FailedStartup implements HealthChecks {
    private final String reason;
    private final Clock clock;

    FailedStartup(String reason, Clock clock) {
        this.reason = reason;
        this.clock = clock;
    }

    @Override
    public Reading scheduledRun(Deadline deadline) {
        return new Reading(HealthReport.failed(clock.instant(), reason), true);
    }

    @Override
    public Reading httpRequest(Deadline deadline) {
        return scheduledRun(deadline);
    }
}
