package dev.deepgramlambda.transcribe.captions;

/** A Deepgram response that cannot become captions, with the reason. */
public final class CaptionException extends RuntimeException {
    CaptionException(String message) {
        super(message);
    }
}
