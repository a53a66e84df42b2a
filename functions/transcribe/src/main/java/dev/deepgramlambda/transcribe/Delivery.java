package dev.deepgramlambda.transcribe;

import java.util.Locale;
import java.util.Optional;

/**
 * How a transcript comes back from Deepgram.
 *
 * <p>{@link #SYNC}: the invocation waits for Deepgram's answer and writes it, as it always did. Lambda
 * time grows with the recording, and a request that outlives the timeout is billed without a result.
 * {@link #CALLBACK}: the invocation submits the job with a presigned S3 PUT URL as Deepgram's
 * callback and returns; Deepgram writes the result into S3 and a second S3 event completes it.
 */
enum Delivery {
    SYNC, CALLBACK;

    /** The {@code DELIVERY} setting: one mode for every file, or {@code auto} by size. */
    record Policy(Optional<Delivery> fixed, long callbackMinBytes) {
        static Policy parse(String value, long callbackMinBytes) {
            return new Policy("auto".equals(value) ? Optional.empty() : Optional.of(valueOf(value.toUpperCase(Locale.ROOT))),
                    callbackMinBytes);
        }

        /** A per-file choice wins; then the fixed mode; in {@code auto}, callback from {@code callbackMinBytes} up. */
        Delivery choose(long size, Optional<Delivery> perFile) {
            return perFile.or(this::fixed).orElse(size >= callbackMinBytes ? CALLBACK : SYNC);
        }
    }
}
