package dev.deepgramlambda.transcribe;

import java.util.Map;
import java.util.Optional;

/**
 * The uploaded audio object as S3 describes it now (HEAD), not as the possibly stale event did.
 *
 * @param eTag without the surrounding quotes S3 puts on it
 * @param metadata user metadata, names lower-case without the {@code x-amz-meta-} prefix
 * @param archived why S3 will not serve the bytes until a restore (an archive storage class), if so
 */
record SourceObject(String bucket, String key, String eTag, Optional<String> versionId, long size,
                    String contentType, Map<String, String> metadata, Optional<String> archived) {}
