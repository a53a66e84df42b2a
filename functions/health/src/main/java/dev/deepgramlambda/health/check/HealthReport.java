package dev.deepgramlambda.health.check;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * One health verdict and the checks it was made from.
 *
 * @param checkedAt when the checks started; {@code /health} answers from cache show it so their age is visible
 * @param transcription the deep check, present only when it is switched on
 * @param keyExpiresAt when the current API key expires, when Deepgram or the secret says so
 */
public record HealthReport(
        Status status,
        String reason,
        Instant checkedAt,
        CheckResult secret,
        CheckResult deepgram,
        Optional<CheckResult> transcription,
        Optional<Instant> keyExpiresAt) {

    static final String ALL_PASSED = "all checks passed";

    static HealthReport of(Instant checkedAt, CheckResult secret, CheckResult deepgram,
                           Optional<CheckResult> transcription, Optional<Instant> keyExpiresAt) {
        List<CheckResult> checks = Stream.concat(Stream.of(secret, deepgram), transcription.stream()).toList();
        Status worst = checks.stream().map(CheckResult::status).reduce(Status.HEALTHY, Status::worse);
        // The first check in order secret, Deepgram, transcription with the worst verdict explains it:
        // an unreadable secret is the cause, a skipped Deepgram check only its consequence.
        String reason = worst == Status.HEALTHY ? ALL_PASSED
                : checks.stream().filter(c -> c.status() == worst).findFirst().orElseThrow().reason();
        return new HealthReport(worst, reason, checkedAt.truncatedTo(ChronoUnit.MILLIS), secret, deepgram,
                transcription, keyExpiresAt);
    }

    /**
     * A verdict for a run that could not check anything, e.g. invalid configuration or an
     * unexpected error: unhealthy, so the {@code HealthCheck} metric still reports 0.
     */
    public static HealthReport failed(Instant checkedAt, String reason) {
        CheckResult notRun = CheckResult.of(Status.SKIPPED, "not run: " + reason);
        return new HealthReport(Status.UNHEALTHY, reason, checkedAt.truncatedTo(ChronoUnit.MILLIS), notRun, notRun,
                Optional.empty(), Optional.empty());
    }

    /** How long the Deepgram connectivity call took; what {@code HealthCheckLatency} reports. */
    public Optional<Duration> latency() {
        return deepgram.latency();
    }

    /** Whole days from {@link #checkedAt} until the key expires, rounded down; negative once expired. */
    public OptionalLong keyDaysToExpiry() {
        return keyExpiresAt
                .map(expiry -> OptionalLong.of(Math.floorDiv(Duration.between(checkedAt, expiry).toSeconds(), 86_400L)))
                .orElse(OptionalLong.empty());
    }
}
