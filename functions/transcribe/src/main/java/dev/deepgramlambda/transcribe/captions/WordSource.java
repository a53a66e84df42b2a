package dev.deepgramlambda.transcribe.captions;

import static dev.deepgramlambda.deepgram.JsonWalk.elements;
import static dev.deepgramlambda.deepgram.JsonWalk.field;
import static dev.deepgramlambda.deepgram.JsonWalk.fields;
import static dev.deepgramlambda.deepgram.JsonWalk.first;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.deepgramlambda.deepgram.ListenResponse;
import java.io.IOException;
import java.util.OptionalLong;

/**
 * The words of a spooled Deepgram response, read with a streaming parser so memory does not grow
 * with the transcript: a day of audio is hundreds of MB of JSON. Two passes over the file, because
 * JSON does not fix key order: the first learns how many channels there are and whether utterances
 * exist and start in order, the second hands the chosen words to a {@link CueBuilder} one at a time.
 */
final class WordSource {
    private final ListenResponse response;
    private final boolean fromUtterances;

    private WordSource(ListenResponse response, boolean fromUtterances) {
        this.response = response;
        this.fromUtterances = fromUtterances;
    }

    /**
     * Reads the response's shape (the first pass).
     *
     * @throws CaptionException for a multichannel response, before anything is written
     */
    static WordSource of(ListenResponse response) throws IOException {
        Shape shape = new Shape();
        response.results(results -> fields(results, (name, value) -> {
            if (name.equals("channels")) {
                elements(value, (index, channel) -> {
                    shape.channels++;
                    channel.skipChildren();
                });
            } else if (name.equals("utterances")) {
                utterances(value, shape);
            } else {
                value.skipChildren();
            }
        }));
        if (shape.channels > 1) {
            throw new CaptionException("captions need one audio channel, this response has " + shape.channels
                    + " (multichannel=true): turn captions off or transcribe without multichannel");
        }
        return new WordSource(response, shape.utterances && shape.inOrder);
    }

    /**
     * Cuts the words into cues (the second pass): utterances when Deepgram made them (split at its own
     * pauses and speaker changes), otherwise the words of channel 0 cut wherever the speaker changes,
     * the choice Deepgram's caption converters make. Utterances out of start order (Deepgram writes
     * them in order) would need sorting, which takes memory: channel 0's words, one timeline, replace them.
     */
    void cues(CaptionRules rules, CueBuilder.CueSink sink) throws IOException {
        CueBuilder builder = new CueBuilder(rules, fromUtterances, audioEnd(), sink);
        response.results(results -> {
            if (fromUtterances) {
                field(results, "utterances", list -> utterances(list, builder));
            } else {
                field(results, "channels", channels -> first(channels, channel ->
                        field(channel, "alternatives", alternatives -> first(alternatives, alternative ->
                                field(alternative, "words", words -> words(words, builder))))));
            }
        });
        builder.finish();
    }

    private OptionalLong audioEnd() {
        return response.durationSeconds().stream().mapToLong(seconds -> (long) Math.floor(seconds * 1000)).findFirst();
    }

    private static void utterances(JsonParser list, WordSink sink) throws IOException {
        elements(list, (index, utterance) -> {
            sink.startUtterance();
            field(utterance, "words", words -> words(words, sink));
        });
    }

    /** One word tree at a time; blank words are left out, as they have no text to show. */
    private static void words(JsonParser words, WordSink sink) throws IOException {
        elements(words, (index, word) -> {
            Word parsed = word.currentToken() == JsonToken.START_OBJECT ? Word.from(word.<JsonNode>readValueAsTree()) : null;
            word.skipChildren();
            if (parsed != null) {
                sink.add(parsed);
            }
        });
    }

    /** Takes words as they are read: {@link CueBuilder}, or the first pass's {@link Shape}. */
    interface WordSink {
        /** The words that follow, until the next call, are one utterance's. */
        void startUtterance();

        void add(Word word) throws IOException;
    }

    /** What the first pass learns: how many channels, whether utterances exist and start in order. */
    private static final class Shape implements WordSink {
        private int channels;
        private boolean utterances;
        private boolean inOrder = true;
        private boolean firstWordSeen;
        private long lastStart = Long.MIN_VALUE;

        @Override
        public void startUtterance() {
            utterances = true;
            firstWordSeen = false;
        }

        /** An utterance starts where its first word does, as CueBuilder sees it. */
        @Override
        public void add(Word word) {
            if (!firstWordSeen) {
                firstWordSeen = true;
                inOrder &= word.start() >= lastStart;
                lastStart = word.start();
            }
        }
    }
}
