package dev.deepgramlambda.metrics;

/**
 * The metrics contract: names, dimensions and the namespace default. The alarms in
 * {@code alarms/template.yaml} are built on exactly these; a test compares the two.
 */
public final class MetricNames {
    public static final String DEFAULT_NAMESPACE = "DeepgramTranscription";
    public static final String SERVICE = "Service";
    public static final String STATUS = "Status";

    /**
     * Count, once per S3 record, dimensions Service and Service+Status. In callback delivery an upload
     * counts as {@code submitted}, and its result's record as {@code success} or {@code failure}. An
     * upload waiting for a Deepgram slot counts as {@code queued}, and again when it is admitted.
     */
    public static final String TRANSCRIPTIONS = "Transcriptions";
    /** Milliseconds per success: the Deepgram call including retries. */
    public static final String TRANSCRIPTION_LATENCY = "TranscriptionLatency";
    /** Seconds of audio per success, from Deepgram's {@code metadata.duration}. */
    public static final String AUDIO_SECONDS_PROCESSED = "AudioSecondsProcessed";
    /** Count of 429 answers. */
    public static final String RATE_LIMIT_HITS = "RateLimitHits";
    /** Count of attempts after the first. */
    public static final String DEEPGRAM_RETRIES = "DeepgramRetries";
    /** Count: callback jobs whose result did not arrive in time (each one resubmitted or given up with an error record). */
    public static final String CALLBACK_TIMEOUTS = "CallbackTimeouts";
    /** Gauge, each sweep: uploads waiting for a Deepgram slot. */
    public static final String QUEUED_FILES = "QueuedFiles";
    /** Gauge, each sweep: Deepgram jobs in flight (admission slots taken) across all containers. */
    public static final String IN_FLIGHT_JOBS = "InFlightJobs";
    /** Seconds an upload waited in the admission queue, per admitted upload. */
    public static final String ADMISSION_WAIT_SECONDS = "AdmissionWaitSeconds";
    /** Gauge, each sweep: how long the oldest waiting upload has waited, in seconds (0 when none waits). */
    public static final String OLDEST_QUEUED_SECONDS = "OldestQueuedSeconds";
    /** Count of records served by the fallback key. */
    public static final String FALLBACK_KEY_USED = "FallbackKeyUsed";
    /**
     * 1 healthy or degraded, 0 unhealthy; emitted by the health canary on every scheduled run and
     * every {@code /health} request that ran the checks (not one answered from the cache).
     */
    public static final String HEALTH_CHECK = "HealthCheck";
    /** Milliseconds of the canary's Deepgram call. */
    public static final String HEALTH_CHECK_LATENCY = "HealthCheckLatency";
    /** Days until the current API key expires, when the secret says which key it is. */
    public static final String API_KEY_DAYS_TO_EXPIRY = "ApiKeyDaysToExpiry";
    /** Count: 1 when the rotation function's finishSecret promoted a new Deepgram key to AWSCURRENT. */
    public static final String KEY_ROTATIONS = "KeyRotations";
    /** Count: 1 per rotation step that failed (AWSCURRENT stays as it was), 0 per step that succeeded. */
    public static final String KEY_ROTATION_FAILURES = "KeyRotationFailures";
    /** Count: 1 when a replaced key could not be deleted after its grace period; it still expires on its own. */
    public static final String OLD_KEY_RETIREMENT_FAILURES = "OldKeyRetirementFailures";

    /** Values of the Status dimension of {@link #TRANSCRIPTIONS}. */
    public enum Status {
        SUCCESS("success"), FAILURE("failure"), SKIPPED("skipped"), SUBMITTED("submitted"), QUEUED("queued");

        private final String value;

        Status(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }
    }

    private MetricNames() {}
}
