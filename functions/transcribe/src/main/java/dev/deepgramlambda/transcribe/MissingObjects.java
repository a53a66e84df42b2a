package dev.deepgramlambda.transcribe;

import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3's answer "no such object" as an empty result. A GET names it {@code NoSuchKeyException}; a
 * HEAD has no body to name it, so only its 404 says so: both are a 404, and only a 404 is missing.
 */
final class MissingObjects {
    private MissingObjects() {}

    /** What {@code read} returns, or empty when the object it reads does not exist. */
    static <T> Optional<T> ifExists(Supplier<T> read) {
        try {
            return Optional.of(read.get());
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
