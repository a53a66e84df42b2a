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
        Set<CaptionFormat> captionFormats) {

    static final String DEEPGRAM_MODEL = "DEEPGRAM_MODEL";
    static final String DEEPGRAM_OPTIONS = "DEEPGRAM_OPTIONS";
    static final String AUDIO_SOURCE = "AUDIO_SOURCE";
    static final String PRESIGNED_URL_TTL_SECONDS = "PRESIGNED_URL_TTL_SECONDS";
    static final String OUTPUT_BUCKET = "OUTPUT_BUCKET";
    static final String OUTPUT_PREFIX = "OUTPUT_PREFIX";
    static final String MAX_AUDIO_BYTES = "MAX_AUDIO_BYTES";
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
        Set<CaptionFormat> captionFormats = captionFormats(env, options);
        env.validate();
        return new TranscribeConfig(secretId, secretTtl, deepgram, model, options, audioSource, presignTtl,
                outputBucket, outputPrefix, maxAudioBytes, captionFormats);
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
