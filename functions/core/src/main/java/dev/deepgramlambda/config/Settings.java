package dev.deepgramlambda.config;

import static java.time.temporal.ChronoUnit.DAYS;
import static java.time.temporal.ChronoUnit.HOURS;
import static java.time.temporal.ChronoUnit.MILLIS;
import static java.time.temporal.ChronoUnit.MINUTES;
import static java.time.temporal.ChronoUnit.SECONDS;

import dev.deepgramlambda.deepgram.ListenOptions;
import dev.deepgramlambda.metrics.MetricNames;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Every environment variable the functions read, defined once: name, default and accepted range
 * here, meaning in each one's comment and in the README's configuration table (a test compares the
 * table with these definitions). A new variable is one entry here and one row there.
 *
 * <p>A variable two functions read is read the same way by both. Rules that relate two variables
 * (a backoff maximum not below its base, say) belong to the configuration that uses them.
 */
public final class Settings {
    private Settings() {}

    // Read by every function

    /** AWS region of the SDK clients; Lambda sets it. */
    public static final Setting<String> AWS_REGION = Setting.text("AWS_REGION", "us-east-1");
    /** AWS endpoint override, e.g. an emulator. */
    public static final Setting<Optional<URI>> AWS_ENDPOINT_URL = Setting.optionalHttpUrl("AWS_ENDPOINT_URL");
    /** CloudWatch namespace of the EMF metrics. */
    public static final Setting<String> METRICS_NAMESPACE = Setting.text("METRICS_NAMESPACE", MetricNames.DEFAULT_NAMESPACE);
    /** Value of the metrics' {@code Service} dimension; the template sets the stack name. */
    public static final Setting<String> SERVICE_NAME = Setting.text("SERVICE_NAME", "deepgram-transcription");
    /** Deepgram's API root; self-hosted Deepgram has its own. */
    public static final Setting<URI> DEEPGRAM_BASE_URL = Setting.httpUrl("DEEPGRAM_BASE_URL", "https://api.deepgram.com");

    // Transcription and health: the transcription key

    /** Secrets Manager secret holding the Deepgram transcription key. */
    public static final Setting<String> DEEPGRAM_SECRET_ID = Setting.required("DEEPGRAM_SECRET_ID");
    /**
     * How long a container reuses the secret before reading it again. At most an hour, the shortest
     * {@link #OLD_KEY_GRACE_HOURS}: every warm container has read the secret again before the key
     * rotation may delete a replaced key.
     */
    public static final Setting<Duration> SECRET_CACHE_TTL_SECONDS = Setting.duration("SECRET_CACHE_TTL_SECONDS", SECONDS, 300, 0, 3600);
    /** The model transcription and the deep health check use; always sent (Deepgram's own default is older). */
    public static final Setting<String> DEEPGRAM_MODEL = Setting.text("DEEPGRAM_MODEL", "nova-3");

    // Deepgram client: transcription and key rotation

    /** One attempt, from sending the request to reading the end of the response. */
    public static final Setting<Duration> DEEPGRAM_TIMEOUT_SECONDS = Setting.duration("DEEPGRAM_TIMEOUT_SECONDS", SECONDS, 30, 1, 900);
    /** TCP and TLS connect timeout. */
    public static final Setting<Duration> DEEPGRAM_CONNECT_TIMEOUT_SECONDS =
            Setting.duration("DEEPGRAM_CONNECT_TIMEOUT_SECONDS", SECONDS, 10, 1, 60);
    /** Attempts per transcription, the first included. */
    public static final Setting<Integer> DEEPGRAM_MAX_ATTEMPTS = Setting.integer("DEEPGRAM_MAX_ATTEMPTS", 3, 1, 10);
    /** Backoff before the second attempt; doubles for every further attempt. */
    public static final Setting<Duration> DEEPGRAM_BACKOFF_BASE_MILLIS =
            Setting.duration("DEEPGRAM_BACKOFF_BASE_MILLIS", MILLIS, 1000, 1, 60_000);
    /** Longest wait between attempts; a longer {@code Retry-After} ends the retries. */
    public static final Setting<Duration> DEEPGRAM_BACKOFF_MAX_MILLIS =
            Setting.duration("DEEPGRAM_BACKOFF_MAX_MILLIS", MILLIS, 20_000, 1, 300_000);
    /** How long the open circuit fails fast before it lets one probe through. */
    public static final Setting<Duration> CIRCUIT_BREAKER_OPEN_SECONDS =
            Setting.duration("CIRCUIT_BREAKER_OPEN_SECONDS", SECONDS, 30, 1, 3600);

    // TranscribeFunction

    /** Further {@code /v1/listen} query options; {@code model}, {@code tag} and {@code callback} are refused. */
    public static final Setting<ListenOptions> DEEPGRAM_OPTIONS = Setting.parsed("DEEPGRAM_OPTIONS", "", ListenOptions::parse);
    /** {@code url}: Deepgram fetches a presigned URL; {@code stream}: the function streams the object. */
    public static final Setting<String> AUDIO_SOURCE = Setting.oneOf("AUDIO_SOURCE", "url", "url", "stream");
    /** Validity of the presigned URL Deepgram fetches the audio from. */
    public static final Setting<Duration> PRESIGNED_URL_TTL_SECONDS =
            Setting.duration("PRESIGNED_URL_TTL_SECONDS", SECONDS, 900, 60, 7 * 86_400);
    /** Where results go; unset, the source bucket. */
    public static final Setting<Optional<String>> OUTPUT_BUCKET = Setting.optional("OUTPUT_BUCKET");
    /** Key prefix of the results; keys under it are never transcribed. */
    public static final Setting<String> OUTPUT_PREFIX = Setting.text("OUTPUT_PREFIX", "transcripts/")
            .requiring(prefix -> !prefix.isEmpty() && !prefix.startsWith("/"),
                    "must be a non-empty key prefix not starting with '/', e.g. transcripts/");
    /**
     * Caption files written beside each transcript: {@code srt}, {@code vtt}, {@code srt,vtt} or
     * {@code none}; set but empty is none too (the template passes its parameter through). The
     * transcribe function maps the text onto its caption formats, whose parser also reads the
     * per-file {@code dg-captions}.
     */
    public static final Setting<String> CAPTION_FORMATS =
            Setting.textOrEmpty("CAPTION_FORMATS", "srt,vtt", "srt, vtt, srt,vtt, none or empty");
    /** Larger objects get an error record without calling Deepgram; 2 GiB is Deepgram's upload limit. */
    public static final Setting<Long> MAX_AUDIO_BYTES = Setting.wholeNumber("MAX_AUDIO_BYTES", 2L * 1024 * 1024 * 1024, 1, Long.MAX_VALUE);
    /**
     * How a transcript comes back: {@code sync} (the invocation waits for Deepgram), {@code callback}
     * (Deepgram writes the result into S3 through a presigned PUT URL), or {@code auto} (callback from
     * {@link #CALLBACK_MIN_BYTES} up).
     */
    public static final Setting<String> DELIVERY = Setting.oneOf("DELIVERY", "auto", "auto", "sync", "callback");
    /**
     * With {@code DELIVERY=auto}, objects of at least this size go by callback: 10 MB is about 10
     * minutes of 128 kbit/s MP3, 5 of 16 kHz WAV; below it Deepgram answers within seconds.
     */
    public static final Setting<Long> CALLBACK_MIN_BYTES = Setting.wholeNumber("CALLBACK_MIN_BYTES", 10_000_000, 1, Long.MAX_VALUE);
    /** Where callback jobs keep their state and Deepgram writes results; never transcribed. */
    public static final Setting<String> CALLBACK_PREFIX = Setting.text("CALLBACK_PREFIX", "deepgram-callbacks/")
            .requiring(prefix -> !prefix.isEmpty() && !prefix.startsWith("/") && prefix.endsWith("/"),
                    "must be a key prefix ending in '/' and not starting with '/', e.g. deepgram-callbacks/");
    /** The bucket of callback state and results; unset, the source bucket. The sweep needs it set. */
    public static final Setting<Optional<String>> CALLBACK_BUCKET = Setting.optional("CALLBACK_BUCKET");
    /**
     * How long Deepgram may take on a callback job: the presigned PUT URL's validity. At most 12
     * hours: the URL is signed with the function role's temporary credentials.
     */
    public static final Setting<Duration> CALLBACK_TIMEOUT_MINUTES = Setting.duration("CALLBACK_TIMEOUT_MINUTES", MINUTES, 60, 5, 720);
    /** Submissions per upload, the first included, before a callback-timeout error record. */
    public static final Setting<Integer> CALLBACK_MAX_ATTEMPTS = Setting.integer("CALLBACK_MAX_ATTEMPTS", 2, 1, 5);
    /**
     * Deepgram jobs in flight at most, across all containers and both delivery modes. Deepgram's
     * pay-as-you-go limit for pre-recorded Nova: 100 per project in most snapshots of
     * developers.deepgram.com/reference/api-rate-limits, 50 in the newest one read (2026-12-03).
     */
    public static final Setting<Integer> DEEPGRAM_MAX_CONCURRENCY = Setting.integer("DEEPGRAM_MAX_CONCURRENCY", 50, 1, 10_000);

    // HealthCheckFunction

    /** Connect and answer timeout of each Deepgram call the canary makes. */
    public static final Setting<Duration> HEALTH_TIMEOUT_SECONDS = Setting.duration("HEALTH_TIMEOUT_SECONDS", SECONDS, 5, 1, 30);
    /** A slower successful answer is degraded; must be below {@link #HEALTH_TIMEOUT_SECONDS}. */
    public static final Setting<Duration> HEALTH_DEGRADED_MILLIS = Setting.duration("HEALTH_DEGRADED_MILLIS", MILLIS, 2000, 1, 30_000);
    /** How long a verdict answers {@code /health} before Deepgram is asked again. */
    public static final Setting<Duration> HEALTH_CACHE_SECONDS = Setting.duration("HEALTH_CACHE_SECONDS", SECONDS, 30, 1, 3600);
    /** How often a scheduled run transcribes the bundled clip; 0 switches the deep check off. */
    public static final Setting<Duration> DEEP_CHECK_INTERVAL_MINUTES =
            Setting.duration("DEEP_CHECK_INTERVAL_MINUTES", MINUTES, 0, 0, 1440);

    // KeyRotationFunction

    /** The secret holding the administration key (keys:read, keys:write). */
    public static final Setting<String> DEEPGRAM_ADMIN_SECRET_ID = Setting.required("DEEPGRAM_ADMIN_SECRET_ID");
    /** Lifetime of each key the rotation creates. */
    public static final Setting<Duration> KEY_TTL_DAYS = Setting.duration("KEY_TTL_DAYS", DAYS, 90, 1, 3650);
    /** Scopes of each key the rotation creates, comma- or space-separated. */
    public static final Setting<String> KEY_SCOPES = Setting.text("KEY_SCOPES", "usage:write");
    /**
     * How long a replaced key must have been replaced before a later rotation deletes it. At least
     * an hour, so at least {@link #SECRET_CACHE_TTL_SECONDS}: no warm container still holds a key
     * when it is deleted.
     */
    public static final Setting<Duration> OLD_KEY_GRACE_HOURS = Setting.duration("OLD_KEY_GRACE_HOURS", HOURS, 24, 1, 24 * 3650);
}
