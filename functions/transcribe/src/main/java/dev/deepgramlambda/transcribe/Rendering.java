package dev.deepgramlambda.transcribe;

import dev.deepgramlambda.deepgram.ListenResponse;
import dev.deepgramlambda.transcribe.captions.CaptionFormat;
import dev.deepgramlambda.transcribe.captions.CaptionRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One file rendered from Deepgram's response and written beside its {@code .json}: the readable
 * transcript, and each caption format. Every delivery path writes through the same list.
 *
 * @param suffix appended to the source key, e.g. {@code .txt}
 */
record Rendering(String suffix, String contentType, Function<ListenResponse, String> render) {
    static final Rendering TEXT = new Rendering(".txt", "text/plain; charset=utf-8", response -> TranscriptText.render(response.json()));

    static Rendering caption(CaptionFormat format) {
        return new Rendering("." + format.extension(), format.contentType(),
                response -> format.render(response.json(), CaptionRules.DEFAULTS));
    }

    /** The text transcript, then the chosen caption formats. */
    static List<Rendering> of(Set<CaptionFormat> captions) {
        List<Rendering> renderings = new ArrayList<>(List.of(TEXT));
        captions.stream().sorted().map(Rendering::caption).forEach(renderings::add);
        return renderings;
    }
}
