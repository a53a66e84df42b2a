package dev.deepgramlambda.transcribe;

import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.deepgram.DeepgramSettings;
import dev.deepgramlambda.deepgram.ListenOptions;
import dev.deepgramlambda.secrets.SecretCache;
import dev.deepgramlambda.transcribe.captions.CaptionFormat;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * TranscribeFunction's configuration, read once per container from the environment. The README's
 * configuration table documents every variable and default.
 */
record TranscribeConfig(
        String secretId,
        Duration secretTtl,
        DeepgramSettings deepgram,
        String model,
        ListenOptions options,
        AudioSource audioSource,
        Duration presignedUrlTtl,
        Optional<String> outputBucket,
        String outputPrefix,
        long maxAudioBytes,
        Delivery.Policy delivery,
        Callbacks callbacks,
        int maxConcurrency,
        Set<CaptionFormat> captionFormats) {

    static final String DEEPGRAM_MODEL = "DEEPGRAM_MODEL";
    static final String DEEPGRAM_OPTIONS = "DEEPGRAM_OPTIONS";
    static final String AUDIO_SOURCE = "AUDIO_SOURCE";
    static final String PRESIGNED_URL_TTL_SECONDS = "PRESIGNED_URL_TTL_SECONDS";
    static final String OUTPUT_BUCKET = "OUTPUT_BUCKET";
    static final String OUTPUT_PREFIX = "OUTPUT_PREFIX";
    static final String MAX_AUDIO_BYTES = "MAX_AUDIO_BYTES";
    static final String DELIVERY = "DELIVERY";
    static final String CALLBACK_MIN_BYTES = "CALLBACK_MIN_BYTES";
    static final String CALLBACK_PREFIX = "CALLBACK_PREFIX";
    static final String CALLBACK_BUCKET = "CALLBACK_BUCKET";
    static final String CALLBACK_TIMEOUT_MINUTES = "CALLBACK_TIMEOUT_MINUTES";
    static final String CALLBACK_MAX_ATTEMPTS = "CALLBACK_MAX_ATTEMPTS";
    static final String DEEPGRAM_MAX_CONCURRENCY = "DEEPGRAM_MAX_CONCURRENCY";
    /**
     * Deepgram's pay-as-you-go limit for pre-recorded Nova requests per project: 100 in most
     * snapshots of developers.deepgram.com/reference/api-rate-limits, 50 in the newest one read
     * (2026-12-03). The lower figure, so a default deployment never meets 429 from its own bursts.
     */
    static final int DEFAULT_MAX_CONCURRENCY = 50;
    /**
     * From 10 MB (about 10 minutes of 128 kbit/s MP3, 5 of 16 kHz WAV) a file goes by callback in
     * {@code auto}: below it Deepgram answers within seconds and a second invocation would cost more
     * than the wait it saves.
     */
    static final long DEFAULT_CALLBACK_MIN_BYTES = 10_000_000;
    static final String CAPTION_FORMATS = "CAPTION_FORMATS";
    static final String DEFAULT_CAPTION_FORMATS = "srt,vtt";
    /** Deepgram's documented upload limit is 2 GB. */
    static final long DEFAULT_MAX_AUDIO_BYTES = 2L * 1024 * 1024 * 1024;

    /** How the audio reaches Deepgram. */
    enum AudioSource {
        /** Deepgram fetches a presigned S3 URL: no audio bytes pass through the function. */
        URL,
        /** The function streams the object into the request body, for buckets Deepgram must not reach. */
        STREAM
    }

    /**
     * Where callback jobs keep their state and Deepgram writes results, and how long to wait for them.
     *
     * @param bucket the bucket for pending records and results; empty: the source object's bucket
     * @param timeout how long a submitted job may take before the sweep gives up on its result. The
     *     presigned PUT URL is valid this long, so a result cannot arrive after the sweep has acted
     *     (the sweep adds Deepgram's 5-minute retry window on top).
     * @param maxAttempts submissions per upload, the first included, before an error record
     */
    record Callbacks(Optional<String> bucket, String prefix, Duration timeout, int maxAttempts) {
        String bucketFor(String sourceBucket) {
            return bucket.orElse(sourceBucket);
        }
    }

    static TranscribeConfig from(Env env) {
        String secretId = env.required(SecretCache.DEEPGRAM_SECRET_ID);
        Duration secretTtl = env.seconds(SecretCache.SECRET_CACHE_TTL_SECONDS, SecretCache.DEFAULT_TTL.toSeconds(), 0, 86_400);
        DeepgramSettings deepgram = DeepgramSettings.from(env);
        String model = env.string(DEEPGRAM_MODEL, "nova-3");
        ListenOptions options = ListenOptions.empty();
        try {
            options = ListenOptions.parse(env.string(DEEPGRAM_OPTIONS, ""));
        } catch (IllegalArgumentException e) {
            env.problem(DEEPGRAM_OPTIONS + ": " + e.getMessage());
        }
        AudioSource audioSource = AudioSource.valueOf(
                env.oneOf(AUDIO_SOURCE, "url", List.of("url", "stream")).toUpperCase(java.util.Locale.ROOT));
        Duration presignTtl = env.seconds(PRESIGNED_URL_TTL_SECONDS, 900, 60, 7 * 86_400);
        Optional<String> outputBucket = env.optional(OUTPUT_BUCKET);
        String outputPrefix = env.string(OUTPUT_PREFIX, "transcripts/");
        if (outputPrefix.isEmpty() || outputPrefix.startsWith("/")) {
            env.problem(OUTPUT_PREFIX + " must be a non-empty key prefix not starting with '/', e.g. transcripts/");
        }
        long maxAudioBytes = env.longValue(MAX_AUDIO_BYTES, DEFAULT_MAX_AUDIO_BYTES, 1, Long.MAX_VALUE);
        Delivery.Policy delivery = Delivery.Policy.parse(env.oneOf(DELIVERY, "auto", List.of("auto", "sync", "callback")),
                env.longValue(CALLBACK_MIN_BYTES, DEFAULT_CALLBACK_MIN_BYTES, 1, Long.MAX_VALUE));
        String callbackPrefix = env.string(CALLBACK_PREFIX, "deepgram-callbacks/");
        if (callbackPrefix.isEmpty() || callbackPrefix.startsWith("/") || !callbackPrefix.endsWith("/")) {
            env.problem(CALLBACK_PREFIX + " must be a key prefix ending in '/' and not starting with '/', e.g. deepgram-callbacks/");
        } else if (callbackPrefix.startsWith(outputPrefix) || outputPrefix.startsWith(callbackPrefix)) {
            env.problem(CALLBACK_PREFIX + " and " + OUTPUT_PREFIX + " must not overlap");
        }
        // 12 hours at most: the URL is signed with the function role's temporary credentials (see docs/design.md).
        Duration callbackTimeout = Duration.ofMinutes(env.longValue(CALLBACK_TIMEOUT_MINUTES, 60, 5, 720));
        Callbacks callbacks = new Callbacks(env.optional(CALLBACK_BUCKET), callbackPrefix, callbackTimeout,
                env.integer(CALLBACK_MAX_ATTEMPTS, 2, 1, 5));
        int maxConcurrency = env.integer(DEEPGRAM_MAX_CONCURRENCY, DEFAULT_MAX_CONCURRENCY, 1, 10_000);
        Set<CaptionFormat> captionFormats = captionFormats(env, options);
        env.validate();
        return new TranscribeConfig(secretId, secretTtl, deepgram, model, options, audioSource, presignTtl,
                outputBucket, outputPrefix, maxAudioBytes, delivery, callbacks, maxConcurrency, captionFormats);
    }

    /** {@code srt,vtt} when unset; set but empty means none, like {@code none}. */
    private static Set<CaptionFormat> captionFormats(Env env, ListenOptions options) {
        String value = env.asSet(CAPTION_FORMATS).orElse(DEFAULT_CAPTION_FORMATS);
        try {
            Set<CaptionFormat> formats = value.isBlank() ? Set.of() : CaptionFormat.parseList(value);
            boolean multichannel = options.asList().stream()
                    .anyMatch(o -> o.name().equals("multichannel") && !o.value().equalsIgnoreCase("false"));
            if (!formats.isEmpty() && multichannel) {
                env.problem(CAPTION_FORMATS + ": captions need one audio channel, but " + DEEPGRAM_OPTIONS
                        + " asks for multichannel=true: set " + CAPTION_FORMATS + " empty, or drop multichannel");
            }
            return formats;
        } catch (IllegalArgumentException e) {
            env.problem(CAPTION_FORMATS + ": " + e.getMessage());
            return Set.of();
        }
    }
}
