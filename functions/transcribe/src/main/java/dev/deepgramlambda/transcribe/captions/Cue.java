package dev.deepgramlambda.transcribe.captions;

import java.util.List;
import java.util.OptionalInt;

/**
 * One caption on screen, format-neutral: SRT and WebVTT render the same cues, so the two files
 * always agree on timing.
 *
 * @param startMillis when it appears, from the start of the audio
 * @param endMillis when it disappears; after {@code startMillis}
 * @param speaker Deepgram's speaker number when the transcript is diarized
 * @param opensTurn whether a new speaker starts talking here (SRT shows a label line then)
 * @param lines the text, one entry per line, unescaped
 */
public record Cue(long startMillis, long endMillis, OptionalInt speaker, boolean opensTurn, List<String> lines) {
    public Cue {
        lines = List.copyOf(lines);
    }

    /** The label a diarized cue carries: Deepgram's own speaker number, as in the {@code .txt}. */
    public String speakerLabel() {
        return "Speaker " + speaker.orElseThrow();
    }
}
