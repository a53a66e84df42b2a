package dev.deepgramlambda.health;

import dev.deepgramlambda.config.ConfigException;
import dev.deepgramlambda.deepgram.Deadline;
import dev.deepgramlambda.health.check.HealthChecks;
import dev.deepgramlambda.health.check.HealthReport;
import dev.deepgramlambda.health.check.Reading;
import java.time.Clock;

/**
 * Stands in for the checks when the environment is invalid. Failing the container's start instead
 * would leave the canary silent; this way every run still reports {@code HealthCheck} = 0 and
 * {@code /health} names what to fix.
 */
final class Misconfigured implements HealthChecks {
    private final String reason;
    private final Clock clock;

    Misconfigured(ConfigException problem, Clock clock) {
        this.reason = problem.getMessage();
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
