package dev.deepgramlambda.transcribe;

import static dev.deepgramlambda.deepgram.JsonWalk.elements;
import static dev.deepgramlambda.deepgram.JsonWalk.field;
import static dev.deepgramlambda.deepgram.JsonWalk.fields;
import static dev.deepgramlambda.deepgram.JsonWalk.first;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.deepgramlambda.deepgram.ListenResponse;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The human-readable {@code .txt} beside Deepgram's JSON: paragraphs when Deepgram made them
 * (with its own "Speaker N:" labels when diarized), otherwise words grouped by speaker when
 * diarized, otherwise the plain transcript. Several channels get a heading each.
 *
 * <p>Read with a streaming parser, one word at a time, so memory holds at most one transcript
 * string, never the response. Two passes: Deepgram writes a channel's words before its
 * paragraphs, and whether there are paragraphs decides what to do with the words.
 */
final class TranscriptText {
    private TranscriptText() {}

    /** Where a channel's text comes from. */
    private enum Source { PARAGRAPHS, SPEAKERS, TRANSCRIPT }

    static void render(ListenResponse response, Writer out) throws IOException {
        List<Source> sources = new ArrayList<>();
        response.results(results -> eachFirstAlternative(results, new SourceFinder(sources)));
        response.results(results -> eachFirstAlternative(results, new ChannelWriter(sources, out)));
    }

    /** Sees the fields of each channel's first alternative; a channel without one has no fields. */
    private interface AlternativeVisitor {
        void start() throws IOException;

        /** Called with the parser on the field's value, which it must consume (at least {@code skipChildren}). */
        void field(String name, JsonParser parser) throws IOException;

        void end() throws IOException;
    }

    /** First pass: which source each channel's text comes from. */
    private static final class SourceFinder implements AlternativeVisitor {
        private final List<Source> sources;
        private boolean paragraphs;
        private boolean speakers;

        SourceFinder(List<Source> sources) {
            this.sources = sources;
        }

        @Override
        public void start() {
            paragraphs = false;
            speakers = false;
        }

        @Override
        public void field(String name, JsonParser parser) throws IOException {
            switch (name) {
                case "paragraphs" -> paragraphs = !paragraphsTranscript(parser).isBlank();
                case "words" -> speakers = firstWordHasSpeaker(parser);
                default -> parser.skipChildren();
            }
        }

        @Override
        public void end() {
            sources.add(paragraphs ? Source.PARAGRAPHS : speakers ? Source.SPEAKERS : Source.TRANSCRIPT);
        }
    }

    /** Second pass: writes each channel's text from its source. */
    private static final class ChannelWriter implements AlternativeVisitor {
        private final List<Source> sources;
        private final Writer out;
        private int channel = -1;

        ChannelWriter(List<Source> sources, Writer out) {
            this.sources = sources;
            this.out = out;
        }

        @Override
        public void start() throws IOException {
            channel++;
            if (sources.size() > 1) {
                out.write((channel == 0 ? "" : "\n") + "Channel " + (channel + 1) + ":\n");
            }
        }

        @Override
        public void field(String name, JsonParser parser) throws IOException {
            Source source = sources.get(channel);
            if (source == Source.PARAGRAPHS && name.equals("paragraphs")) {
                out.write(paragraphsTranscript(parser).strip());
            } else if (source == Source.SPEAKERS && name.equals("words")) {
                writeBySpeaker(parser, out);
            } else if (source == Source.TRANSCRIPT && name.equals("transcript")) {
                out.write(text(parser).strip());
            } else {
                parser.skipChildren();
            }
        }

        @Override
        public void end() throws IOException {
            out.write('\n');
        }
    }

    /** Walks {@code results.channels[*].alternatives[0]}; everything else is skipped unread. */
    private static void eachFirstAlternative(JsonParser results, AlternativeVisitor visitor) throws IOException {
        field(results, "channels", channels -> elements(channels, (index, channel) -> {
            visitor.start();
            field(channel, "alternatives", alternatives -> first(alternatives, alternative -> fields(alternative, visitor::field)));
            visitor.end();
        }));
    }

    private static String paragraphsTranscript(JsonParser parser) throws IOException {
        String[] transcript = {""};
        field(parser, "transcript", value -> transcript[0] = text(value));
        return transcript[0];
    }

    /** A scalar's text (a string, or a number as written), "" for anything else; the value is consumed. */
    private static String text(JsonParser parser) throws IOException {
        String text = parser.currentToken().isScalarValue() ? parser.getValueAsString("") : "";
        parser.skipChildren();
        return text;
    }

    private static boolean firstWordHasSpeaker(JsonParser parser) throws IOException {
        boolean[] speaker = {false};
        first(parser, word -> speaker[0] = word(word).has("speaker"));
        return speaker[0];
    }

    private static void writeBySpeaker(JsonParser parser, Writer out) throws IOException {
        int[] speaker = {-1};
        elements(parser, (index, element) -> {
            JsonNode word = word(element);
            int current = word.path("speaker").asInt();
            if (current != speaker[0]) {
                out.write((speaker[0] < 0 ? "" : "\n\n") + "Speaker " + current + ':');
                speaker[0] = current;
            }
            out.write(' ');
            out.write(word.path("punctuated_word").asText(word.path("word").asText()));
        });
    }

    /** One word, small enough to read as a tree. */
    private static JsonNode word(JsonParser parser) throws IOException {
        JsonNode word = parser.readValueAsTree();
        return Objects.requireNonNullElse(word, MissingNode.getInstance());
    }
}
