package dev.deepgramlambda.transcribe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepgramlambda.deepgram.ListenResponse;
import java.io.IOException;
import java.io.Writer;

/**
 * The human-readable {@code .txt} beside Deepgram's JSON: paragraphs when Deepgram made them
 * (with its own "Speaker N:" labels when diarized), otherwise words grouped by speaker when
 * diarized, otherwise the plain transcript. Several channels get a heading each.
 */
final class TranscriptText {
    private TranscriptText() {}

    static void render(ListenResponse response, Writer out) throws IOException {
        out.write(render(new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.file().toFile())));
    }

    static String render(JsonNode response) {
        JsonNode channels = response.path("results").path("channels");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < channels.size(); i++) {
            if (channels.size() > 1) {
                text.append(i == 0 ? "" : "\n").append("Channel ").append(i + 1).append(":\n");
            }
            text.append(channelText(channels.get(i).path("alternatives").path(0))).append('\n');
        }
        return text.toString();
    }

    private static String channelText(JsonNode alternative) {
        String paragraphs = alternative.path("paragraphs").path("transcript").asText("").strip();
        if (!paragraphs.isEmpty()) {
            return paragraphs;
        }
        JsonNode words = alternative.path("words");
        if (words.size() > 0 && words.get(0).has("speaker")) {
            return bySpeaker(words);
        }
        return alternative.path("transcript").asText("").strip();
    }

    private static String bySpeaker(JsonNode words) {
        StringBuilder text = new StringBuilder();
        int speaker = -1;
        for (JsonNode word : words) {
            int current = word.path("speaker").asInt();
            if (current != speaker) {
                text.append(speaker < 0 ? "" : "\n\n").append("Speaker ").append(current).append(':');
                speaker = current;
            }
            text.append(' ').append(word.path("punctuated_word").asText(word.path("word").asText()));
        }
        return text.toString();
    }
}
