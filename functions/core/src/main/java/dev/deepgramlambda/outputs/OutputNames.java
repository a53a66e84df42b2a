package dev.deepgramlambda.outputs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Where one upload's results go: {@code {prefix}{stem}.json}, {@code .txt}, the caption files
 * ({@code .srt}, {@code .vtt}), {@code .error.json} and the in-flight {@code .claim}. The stem is the source key itself, except in two cases that
 * keep every name unambiguous and within S3's limit:
 *
 * <ul>
 *   <li>A key ending in {@code .error} or {@code ~} gets one more {@code ~}. Otherwise the
 *       transcript of {@code a.error} ({@code a.error.json}) would be the error record of {@code a}.
 *       Appending {@code ~} to exactly these keys is reversible, so no two keys share a stem, and
 *       no stem ends in {@code .error}.</li>
 *   <li>A key whose longest output name would pass S3's 1024 bytes keeps as many of its leading
 *       bytes as fit, then {@code ~} and 32 hex digits of its SHA-256. The full key is in the
 *       result's metadata ({@code source-key-sha256}, and {@code source-key} as far as S3's 2 KB of
 *       metadata allows) and in the error record's body.</li>
 * </ul>
 *
 * <p>TranscribeFunction writes under these names and the CLI looks for outputs under them: one
 * definition, so the two cannot drift apart.
 */
public final class OutputNames {
    /** S3's limit on an object key, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;
    public static final String TRANSCRIPT = ".json";
    public static final String ERROR = ".error.json";
    public static final String CLAIM = ".claim";
    private static final String ESCAPE = "~";
    private static final int HASH_HEX_DIGITS = 32;

    private final String prefix;

    public OutputNames(String prefix) {
        this.prefix = prefix;
    }

    public String transcript(String sourceKey) {
        return output(sourceKey, TRANSCRIPT);
    }

    public String error(String sourceKey) {
        return output(sourceKey, ERROR);
    }

    public String claim(String sourceKey) {
        return output(sourceKey, CLAIM);
    }

    /**
     * Any output beside the transcript, e.g. a caption file's {@code .srt}. A suffix must be no
     * longer than {@link #ERROR} and must not end another suffix, or names could collide.
     */
    public String output(String sourceKey, String suffix) {
        return prefix + stem(sourceKey) + suffix;
    }

    /** Whether the key was too long to keep whole in its output names. */
    public boolean shortened(String sourceKey) {
        return !stem(sourceKey).startsWith(escaped(sourceKey));
    }

    public String stem(String sourceKey) {
        String escaped = escaped(sourceKey);
        int budget = MAX_KEY_BYTES - utf8Length(prefix) - utf8Length(ERROR);
        if (utf8Length(escaped) <= budget) {
            return escaped;
        }
        String hash = ESCAPE + sha256Hex(sourceKey).substring(0, HASH_HEX_DIGITS);
        return leadingBytes(sourceKey, budget - hash.length()) + hash;
    }

    /**
     * The source key whose output {@code name} is, {@code suffix} being that output's: the stem with
     * its escape undone. Empty when {@code name} is no such output (outside the prefix, without the
     * suffix, or a stem no key has, e.g. {@code a.error} in {@code a.error.json}, the error record of
     * {@code a}). A shortened key cannot be told from its name: its stem comes back as it is; the
     * full key is in the output's metadata.
     */
    public Optional<String> sourceKey(String name, String suffix) {
        if (name.length() < prefix.length() + suffix.length() || !name.startsWith(prefix) || !name.endsWith(suffix)) {
            return Optional.empty();
        }
        String stem = name.substring(prefix.length(), name.length() - suffix.length());
        String key = stem.endsWith(ESCAPE) ? stem.substring(0, stem.length() - ESCAPE.length()) : stem;
        return stem(key).equals(stem) ? Optional.of(key) : Optional.empty();
    }

    public static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    private static String escaped(String sourceKey) {
        return sourceKey.endsWith(".error") || sourceKey.endsWith(ESCAPE) ? sourceKey + ESCAPE : sourceKey;
    }

    /** The longest start of {@code text} of at most {@code maxBytes} UTF-8 bytes, never splitting a character. */
    private static String leadingBytes(String text, int maxBytes) {
        int bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            int size = utf8Length(new String(Character.toChars(codePoint)));
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            end += Character.charCount(codePoint);
        }
        return text.substring(0, end);
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
