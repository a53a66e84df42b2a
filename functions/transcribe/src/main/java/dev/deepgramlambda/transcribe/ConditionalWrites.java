package dev.deepgramlambda.transcribe;

import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3's answer "this conditional write lost to another writer": 412 when the object is no longer
 * what {@code If-None-Match: *} or {@code If-Match} named (someone else wrote first), 409 when a
 * concurrent conditional write to the same key is still in flight. Either way nothing was written
 * and the other writer's object stands.
 */
final class ConditionalWrites {
    private ConditionalWrites() {}

    static boolean lost(S3Exception e) {
        return e.statusCode() == 412 || e.statusCode() == 409;
    }
}
