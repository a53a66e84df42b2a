package dev.deepgramlambda.health.check;

import dev.deepgramlambda.deepgram.Deadline;

/** Where the handler gets verdicts from. */
public interface HealthChecks {
    /** A scheduled run: always checks now, and runs the deep check when it is due. */
    Reading scheduledRun(Deadline deadline);

    /** A {@code GET /health}: the cached verdict while it is young enough, otherwise a fresh check. */
    Reading httpRequest(Deadline deadline);
}
