package dev.deepgramlambda.transcribe;

import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.config.Setting;
import dev.deepgramlambda.config.Settings;
import dev.deepgramlambda.deepgram.DeepgramSettings;
import dev.deepgramlambda.deepgram.ListenOptions;
import dev.deepgramlambda.transcribe.captions.CaptionFormat;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * TranscribeFunction's configuration (and the callback sweep's, which runs the same code), read once
 * per container from the environment. Each variable is defined in {@link Settings}; the README's
 * configuration table documents them.
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
        Set<CaptionFormat> captionFormats,
        Delivery.Policy delivery,
        Callbacks callbacks,
        int maxConcurrency) {

    /** {@link Settings#CAPTION_FORMATS} as formats: set but empty means none, like {@code none}. */
    private static final Setting<Set<CaptionFormat>> CAPTION_FORMATS =
            Settings.CAPTION_FORMATS.map(value -> value.isEmpty() ? Set.of() : CaptionFormat.parseList(value));

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
     * @param bucket the bucket for job state and results; empty: the source object's bucket
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
        TranscribeConfig config = new TranscribeConfig(
                env.read(Settings.DEEPGRAM_SECRET_ID),
                env.read(Settings.SECRET_CACHE_TTL_SECONDS),
                DeepgramSettings.from(env),
                env.read(Settings.DEEPGRAM_MODEL),
                env.read(Settings.DEEPGRAM_OPTIONS),
                AudioSource.valueOf(env.read(Settings.AUDIO_SOURCE).toUpperCase(Locale.ROOT)),
                env.read(Settings.PRESIGNED_URL_TTL_SECONDS),
                env.read(Settings.OUTPUT_BUCKET),
                env.read(Settings.OUTPUT_PREFIX),
                env.read(Settings.MAX_AUDIO_BYTES),
                env.read(CAPTION_FORMATS),
                Delivery.Policy.parse(env.read(Settings.DELIVERY), env.read(Settings.CALLBACK_MIN_BYTES)),
                new Callbacks(env.read(Settings.CALLBACK_BUCKET), env.read(Settings.CALLBACK_PREFIX),
                        env.read(Settings.CALLBACK_TIMEOUT_MINUTES), env.read(Settings.CALLBACK_MAX_ATTEMPTS)),
                env.read(Settings.DEEPGRAM_MAX_CONCURRENCY));
        if (!config.captionFormats().isEmpty() && config.multichannel()) {
            env.problem(Settings.CAPTION_FORMATS + ": captions need one audio channel, but " + Settings.DEEPGRAM_OPTIONS
                    + " asks for multichannel=true: set " + Settings.CAPTION_FORMATS + " empty, or drop multichannel");
        }
        String callbackPrefix = config.callbacks().prefix();
        if (callbackPrefix.startsWith(config.outputPrefix()) || config.outputPrefix().startsWith(callbackPrefix)) {
            env.problem(Settings.CALLBACK_PREFIX + " and " + Settings.OUTPUT_PREFIX + " must not overlap");
        }
        env.validate();
        return config;
    }

    /** Deepgram transcribes each channel on its own, which captions cannot show. */
    private boolean multichannel() {
        return options.asList().stream()
                .anyMatch(o -> o.name().equals("multichannel") && !o.value().equalsIgnoreCase("false"));
    }
}
