package dev.deepgramlambda.transcribe;

import dev.deepgramlambda.deepgram.DeepgramException;
import dev.deepgramlambda.deepgram.ListenResponse;
import dev.deepgramlambda.spool.Spool;
import dev.deepgramlambda.transcribe.captions.CaptionFormat;
import dev.deepgramlambda.transcribe.captions.CaptionRules;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Files rendered from Deepgram's response in one walk over it and written beside its {@code .json}:
 * the readable transcript, or every chosen caption format together (they share their cues, so one
 * walk times them for all). Every delivery path writes through the same list.
 *
 * @param outputs the files it writes, in the order its renderer gets their writers
 */
record Rendering(List<Output> outputs, Renderer renderer) {
    private static final Rendering TEXT = new Rendering(List.of(new Output(".txt", "text/plain; charset=utf-8")),
            (response, outs) -> TranscriptText.render(response, outs.get(0)));

    /**
     * One rendered file.
     *
     * @param suffix appended to the source key, e.g. {@code .txt}
     */
    record Output(String suffix, String contentType) {}

    /** A rendered file spooled in {@code /tmp}. */
    record Rendered(Output output, Path file) {}

    /** Writes the outputs as text, one writer per output in order, reading the response as a stream rather than as a tree. */
    @FunctionalInterface
    interface Renderer {
        void render(ListenResponse response, List<Writer> outs) throws IOException;
    }

    private static Rendering captions(Set<CaptionFormat> chosen) {
        List<CaptionFormat> formats = chosen.stream().sorted().toList();
        return new Rendering(formats.stream().map(format -> new Output("." + format.extension(), format.contentType())).toList(),
                (response, outs) -> {
                    Map<CaptionFormat, Writer> byFormat = new EnumMap<>(CaptionFormat.class);
                    for (int i = 0; i < formats.size(); i++) {
                        byFormat.put(formats.get(i), outs.get(i));
                    }
                    CaptionFormat.render(response, CaptionRules.DEFAULTS, byFormat);
                });
    }

    /** The text transcript, then the chosen caption formats, if any. */
    static List<Rendering> of(Set<CaptionFormat> captions) {
        return captions.isEmpty() ? List.of(TEXT) : List.of(TEXT, captions(captions));
    }

    /**
     * Renders into spooled UTF-8 files, one per output in order, which the caller uploads and deletes.
     *
     * @throws DeepgramException when the answer itself cannot be rendered (see {@link ListenResponse#results})
     */
    List<Rendered> renderToFiles(ListenResponse response) {
        List<Rendered> rendered = new ArrayList<>();
        try {
            try {
                for (Output output : outputs) {
                    rendered.add(new Rendered(output, Spool.newFile(output.suffix())));
                }
                renderInto(response, rendered, new ArrayList<>());
                return rendered;
            } catch (IOException | RuntimeException e) {
                rendered.forEach(file -> Spool.delete(file.file()));
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render " + outputs.stream().map(Output::suffix).collect(Collectors.joining(", "))
                    + " into /tmp", e);
        }
    }

    /**
     * Opens a writer on each file in turn, each in a try-with-resources nested in the one before, so
     * every writer is flushed and closed whatever happens; then renders into them all.
     */
    private void renderInto(ListenResponse response, List<Rendered> files, List<Writer> opened) throws IOException {
        if (opened.size() == files.size()) {
            renderer.render(response, opened);
            return;
        }
        Path file = files.get(opened.size()).file();
        try (Writer out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8))) {
            opened.add(out);
            renderInto(response, files, opened);
        }
    }
}
