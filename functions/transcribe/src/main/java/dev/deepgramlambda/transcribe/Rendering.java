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
import java.util.List;
import java.util.Set;

/**
 * One file rendered from Deepgram's response and written beside its {@code .json}: the readable
 * transcript, and each caption format. Every delivery path writes through the same list.
 *
 * @param suffix appended to the source key, e.g. {@code .txt}
 */
record Rendering(String suffix, String contentType, Renderer renderer) {
    static final Rendering TEXT = new Rendering(".txt", "text/plain; charset=utf-8", TranscriptText::render);

    /** Writes one rendering as text, reading the response as a stream rather than as a tree. */
    @FunctionalInterface
    interface Renderer {
        void render(ListenResponse response, Writer out) throws IOException;
    }

    static Rendering caption(CaptionFormat format) {
        return new Rendering("." + format.extension(), format.contentType(),
                (response, out) -> format.render(response, CaptionRules.DEFAULTS, out));
    }

    /** The text transcript, then the chosen caption formats. */
    static List<Rendering> of(Set<CaptionFormat> captions) {
        List<Rendering> renderings = new ArrayList<>(List.of(TEXT));
        captions.stream().sorted().map(Rendering::caption).forEach(renderings::add);
        return renderings;
    }

    /**
     * Renders into a spooled UTF-8 file, which the caller uploads and deletes.
     *
     * @throws DeepgramException when the answer itself cannot be rendered (see {@link ListenResponse#results})
     */
    Path renderToFile(ListenResponse response) {
        try {
            Path file = Spool.newFile(suffix);
            try (Writer out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8))) {
                renderer.render(response, out);
                return file;
            } catch (IOException | RuntimeException e) {
                Spool.delete(file);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render " + suffix + " into /tmp", e);
        }
    }
}
