package dev.deepgramlambda.health.check;

import dev.deepgramlambda.deepgram.Deadline;
import dev.deepgramlambda.deepgram.DeepgramClient;
import dev.deepgramlambda.secrets.SecretCache;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Runs the checks and keeps the last verdict. Scheduled runs always check; {@code /health}
 * requests reuse a verdict younger than {@link CheckSettings#cacheFor()}, healthy or not, so a
 * flood of requests (or a flood during an outage, when every check would wait for its timeout)
 * costs one Deepgram call per cache period per container.
 *
 * <p>Synchronized so that requests overlapping a check wait for it instead of starting their own.
 */
public final class HealthMonitor implements HealthChecks {
    private final ConnectivityProbe connectivity;
    private final KeyExpiry keyExpiry;
    private final Optional<DeepCheck> deepCheck;
    private final CheckSettings settings;
    private final Clock clock;

    /** Warm-container state: the last verdict, served to {@code /health} while young enough. */
    private HealthReport last;

    public HealthMonitor(SecretCache secrets, DeepgramClient deepgram, CheckSettings settings, Clock clock) {
        this.connectivity = new ConnectivityProbe(secrets, deepgram, settings);
        this.keyExpiry = new KeyExpiry(deepgram, settings.timeout(), clock);
        this.deepCheck = settings.deepCheckEnabled() ? Optional.of(new DeepCheck(deepgram, secrets, settings)) : Optional.empty();
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public synchronized Reading scheduledRun(Deadline deadline) {
        return new Reading(check(true, deadline), true);
    }

    @Override
    public synchronized Reading httpRequest(Deadline deadline) {
        if (last != null && clock.instant().isBefore(last.checkedAt().plus(settings.cacheFor()))) {
            return new Reading(last, false);
        }
        return new Reading(check(false, deadline), true);
    }

    private HealthReport check(boolean scheduled, Deadline deadline) {
        Instant checkedAt = clock.instant();
        ConnectivityProbe.Result result = connectivity.probe();
        boolean reachable = result.deepgram().status().passes();
        Optional<Instant> keyExpiresAt = result.credentials().flatMap(c -> keyExpiry.expiresAt(c, reachable));
        Optional<CheckResult> transcription = deepCheck.map(d -> d.result(checkedAt, scheduled && reachable, deadline));
        last = HealthReport.of(checkedAt, result.secret(), result.deepgram(), transcription, keyExpiresAt);
        return last;
    }
}
