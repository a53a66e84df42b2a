package dev.deepgramlambda.transcribe;

import java.util.List;

/**
 * Thrown after every record of an event was attempted, when some failed transiently. Lambda then
 * retries the event (records already transcribed are skipped by the idempotency check) and, when
 * retries run out, sends it to the on-failure destination: nothing is lost.
 */
public final class TranscriptionFailedException extends RuntimeException {
    TranscriptionFailedException(List<String> failures) {
        super(failures.size() + " record(s) failed transiently and will be retried: " + String.join("; ", failures));
    }
}
