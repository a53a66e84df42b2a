package dev.deepgramlambda.transcribe;

import dev.deepgramlambda.deepgram.ListenOptions;
import dev.deepgramlambda.transcribe.captions.CaptionFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Per-file Deepgram options from the object's S3 user metadata, e.g.
 * {@code aws s3 cp talk.wav s3://bucket/incoming/ --metadata dg-language=es,dg-diarize=true}.
 * Values are validated, never passed through blindly; an unknown {@code dg-} name is an error too,
 * so a typo does not silently transcribe with the wrong settings.
 */
final class FileOverrides {
    static final String PREFIX = "dg-";
    static final String LANGUAGE = "dg-language";
    static final String DIARIZE = "dg-diarize";
    /** Which caption files to write for this upload: srt, vtt, srt,vtt or none. Not sent to Deepgram. */
    static final String CAPTIONS = "dg-captions";
    /** Which delivery this upload asks for: sync or callback. Not sent to Deepgram. */
    static final String DELIVERY = "dg-delivery";
    /** BCP-47 style tags Deepgram accepts (en, en-US, pt-BR, zh-Hans) and {@code multi} for code-switching. */
    private static final Pattern LANGUAGE_TAG = Pattern.compile("multi|[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}");

    /** The object's metadata asks for something we will not send to Deepgram. */
    static final class InvalidOverrideException extends Exception {
        InvalidOverrideException(String message) {
            super(message);
        }
    }

    /** What the object's metadata asks for: Deepgram options, caption files, and optionally a delivery mode. */
    record Overrides(ListenOptions options, Set<CaptionFormat> captions, Optional<Delivery> delivery) {}

    private FileOverrides() {}

    /**
     * @param base the configured Deepgram options
     * @param captionDefaults the configured caption files ({@code CAPTION_FORMATS})
     */
    static Overrides apply(ListenOptions base, Set<CaptionFormat> captionDefaults, Map<String, String> metadata)
            throws InvalidOverrideException {
        ListenOptions options = base;
        Set<CaptionFormat> captions = captionDefaults;
        Optional<Delivery> delivery = Optional.empty();
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            String name = entry.getKey().toLowerCase(Locale.ROOT);
            String value = entry.getValue() == null ? "" : entry.getValue().trim();
            if (!name.startsWith(PREFIX)) {
                continue;
            }
            switch (name) {
                case LANGUAGE -> {
                    if (!LANGUAGE_TAG.matcher(value).matches()) {
                        throw new InvalidOverrideException("metadata " + LANGUAGE + "='" + value
                                + "' is not a language tag such as en, en-US or multi");
                    }
                    options = options.with("language", value);
                }
                case DIARIZE -> {
                    String flag = value.toLowerCase(Locale.ROOT);
                    if (!flag.equals("true") && !flag.equals("false")) {
                        throw new InvalidOverrideException("metadata " + DIARIZE + "='" + value + "' must be true or false");
                    }
                    options = options.with("diarize", flag);
                }
                case DELIVERY -> {
                    String mode = value.toLowerCase(Locale.ROOT);
                    if (!mode.equals("sync") && !mode.equals("callback")) {
                        throw new InvalidOverrideException("metadata " + DELIVERY + "='" + value + "' must be sync or callback");
                    }
                    delivery = Optional.of(Delivery.valueOf(mode.toUpperCase(Locale.ROOT)));
                }
                case CAPTIONS -> captions = captionFormats(value);
                default -> throw new InvalidOverrideException("unknown metadata " + name + ": supported are "
                        + LANGUAGE + ", " + DIARIZE + ", " + CAPTIONS + " and " + DELIVERY);
            }
        }
        return new Overrides(options, captions, delivery);
    }

    private static Set<CaptionFormat> captionFormats(String value) throws InvalidOverrideException {
        try {
            return CaptionFormat.parseList(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidOverrideException("metadata " + CAPTIONS + ": " + e.getMessage());
        }
    }
}
