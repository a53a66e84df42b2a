package dev.deepgramlambda.deepgram;

/**
 * One pre-recorded transcription request.
 *
 * @param model the Deepgram model, e.g. {@code nova-3} (Deepgram's own default is the older {@code base})
 * @param options further query options
 * @param tag identifies the source so usage can be traced back to it
 * @param audio what to transcribe
 */
public record ListenRequest(String model, ListenOptions options, String tag, AudioBody audio) {
    public ListenRequest withAudio(AudioBody other) {
        return new ListenRequest(model, options, tag, other);
    }
}
