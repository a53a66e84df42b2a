package dev.deepgramlambda.transcribe;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
        response.stream(parser -> eachFirstAlternative(parser, new SourceFinder(sources)));
        response.stream(parser -> eachFirstAlternative(parser, new ChannelWriter(sources, out)));
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
    private static void eachFirstAlternative(JsonParser parser, AlternativeVisitor visitor) throws IOException {
        parser.nextToken();
        fieldsOf(parser, (name, results) -> {
            if (!name.equals("results")) {
                results.skipChildren();
                return;
            }
            fieldsOf(results, (field, channels) -> {
                if (!field.equals("channels") || channels.currentToken() != JsonToken.START_ARRAY) {
                    channels.skipChildren();
                    return;
                }
                while (channels.nextToken() != JsonToken.END_ARRAY) {
                    visitor.start();
                    fieldsOf(channels, (key, alternatives) -> {
                        if (key.equals("alternatives") && alternatives.currentToken() == JsonToken.START_ARRAY) {
                            alternatives.nextToken();
                            fieldsOf(alternatives, visitor::field);
                        }
                        skipRest(alternatives);
                    });
                    visitor.end();
                }
            });
        });
    }

    @FunctionalInterface
    private interface FieldReader {
        void read(String name, JsonParser parser) throws IOException;
    }

    /** Reads each field of the object the parser is on; anything else is skipped. */
    private static void fieldsOf(JsonParser parser, FieldReader reader) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            reader.read(name, parser);
        }
    }

    /** Consumes the current value and, inside an array, the rest of the array. */
    private static void skipRest(JsonParser parser) throws IOException {
        parser.skipChildren();
        if (parser.getParsingContext().inArray()) {
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                parser.skipChildren();
            }
        }
    }

    private static String paragraphsTranscript(JsonParser parser) throws IOException {
        String[] transcript = {""};
        fieldsOf(parser, (name, value) -> {
            if (name.equals("transcript")) {
                transcript[0] = text(value);
            } else {
                value.skipChildren();
            }
        });
        return transcript[0];
    }

    /** A scalar's text (a string, or a number as written), "" for anything else; the value is consumed. */
    private static String text(JsonParser parser) throws IOException {
        String text = parser.currentToken().isScalarValue() ? parser.getValueAsString("") : "";
        parser.skipChildren();
        return text;
    }

    private static boolean firstWordHasSpeaker(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY || parser.nextToken() == JsonToken.END_ARRAY) {
            parser.skipChildren();
            return false;
        }
        boolean speaker = word(parser).has("speaker");
        skipRest(parser);
        return speaker;
    }

    private static void writeBySpeaker(JsonParser parser, Writer out) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            parser.skipChildren();
            return;
        }
        int speaker = -1;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            JsonNode word = word(parser);
            int current = word.path("speaker").asInt();
            if (current != speaker) {
                out.write((speaker < 0 ? "" : "\n\n") + "Speaker " + current + ':');
                speaker = current;
            }
            out.write(' ');
            out.write(word.path("punctuated_word").asText(word.path("word").asText()));
        }
    }

    /** One word, small enough to read as a tree. */
    private static JsonNode word(JsonParser parser) throws IOException {
        JsonNode word = parser.readValueAsTree();
        return Objects.requireNonNullElse(word, MissingNode.getInstance());
    }
}
