package dev.deepgramlambda.transcribe.captions;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/** One word of Deepgram's response, times in milliseconds, text as it should be shown. */
record Word(String text, long start, long end, OptionalInt speaker) {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /** {@code punctuated_word} when Deepgram punctuated, else {@code word}; blank text gives null. */
    static Word from(JsonNode word) {
        String text = WHITESPACE.matcher(word.path("punctuated_word").asText(word.path("word").asText(""))).replaceAll(" ").strip();
        if (text.isEmpty()) {
            return null;
        }
        OptionalInt speaker = word.path("speaker").isIntegralNumber() ? OptionalInt.of(word.path("speaker").asInt()) : OptionalInt.empty();
        return new Word(text, millis(word.path("start")), millis(word.path("end")), speaker);
    }

    static long millis(JsonNode seconds) {
        return Math.round(seconds.asDouble() * 1000);
    }

    int length() {
        return text.codePointCount(0, text.length());
    }

    boolean endsSentence() {
        return text.endsWith(".") || text.endsWith("?") || text.endsWith("!") || text.endsWith("…");
    }

    boolean endsClause() {
        return text.endsWith(",") || text.endsWith(";") || text.endsWith(":") || text.endsWith("—");
    }
}
