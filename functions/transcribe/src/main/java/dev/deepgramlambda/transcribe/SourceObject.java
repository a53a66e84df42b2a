package dev.deepgramlambda.transcribe;

import dev.deepgramlambda.outputs.OutputNames;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The uploaded audio object as S3 describes it now (HEAD), not as the possibly stale event did.
 *
 * @param eTag without the surrounding quotes S3 puts on it
 * @param metadata user metadata, names lower-case without the {@code x-amz-meta-} prefix
 * @param archived why S3 will not serve the bytes until a restore (an archive storage class), if so
 */
record SourceObject(String bucket, String key, String eTag, Optional<String> versionId, long size,
                    String contentType, Map<String, String> metadata, Optional<String> archived) {

    /**
     * What the uploader asked for with {@code dg-*} metadata, as a SHA-256 over the sorted pairs.
     * Part of an upload's identity: the same bytes uploaded again with another {@code dg-language}
     * are a new request and get a new transcript. The function's own configuration is not: changing
     * {@code DEEPGRAM_MODEL} does not re-transcribe old uploads that S3 happens to deliver again.
     */
    String optionsFingerprint() {
        StringBuilder options = new StringBuilder();
        new TreeMap<>(metadata).forEach((name, value) -> {
            if (name.toLowerCase(Locale.ROOT).startsWith(FileOverrides.PREFIX)) {
                options.append(name.toLowerCase(Locale.ROOT)).append('=').append(value == null ? "" : value.trim()).append('\n');
            }
        });
        return OutputNames.sha256Hex(options.toString());
    }

    /** What makes one upload: its bytes (ETag) and the options asked for. */
    String identity() {
        return eTag + "/" + optionsFingerprint();
    }

    boolean sameUploadAs(SourceObject other) {
        return identity().equals(other.identity());
    }
}
