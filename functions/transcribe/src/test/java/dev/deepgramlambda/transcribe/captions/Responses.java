package dev.deepgramlambda.transcribe.captions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepgramlambda.deepgram.ListenResponse;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Captions of a response built in a test, spooled as Deepgram's answers are (and the spool deleted after). */
final class Responses {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Responses() {}

    static String render(CaptionFormat format, JsonNode response, CaptionRules rules) {
        try (ListenResponse spooled = spool(response)) {
            StringWriter out = new StringWriter();
            CaptionFormat.render(spooled, rules, Map.of(format, out));
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every format of {@code formats} rendered in one walk, as production writes them. */
    static Map<CaptionFormat, String> renderTogether(Set<CaptionFormat> formats, JsonNode response, CaptionRules rules) {
        Map<CaptionFormat, StringWriter> outs = new EnumMap<>(CaptionFormat.class);
        formats.forEach(format -> outs.put(format, new StringWriter()));
        try (ListenResponse spooled = spool(response)) {
            CaptionFormat.render(spooled, rules, new EnumMap<CaptionFormat, Writer>(outs));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<CaptionFormat, String> texts = new EnumMap<>(CaptionFormat.class);
        outs.forEach((format, out) -> texts.put(format, out.toString()));
        return texts;
    }

    static List<Cue> cues(JsonNode response, CaptionRules rules) {
        try (ListenResponse spooled = spool(response)) {
            return cues(spooled, rules);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The cues of a spooled response, through the same WordSource and CueBuilder passes both formats render. */
    static List<Cue> cues(ListenResponse response, CaptionRules rules) throws IOException {
        List<Cue> cues = new ArrayList<>();
        WordSource.of(response).cues(rules, cues::add);
        return cues;
    }

    /** A one-channel response shaped like Deepgram's, with these words and {@code request_id} req-1. */
    static JsonNode response(double duration, List<ObjectNode> words) {
        ObjectNode response = JSON.createObjectNode();
        response.putObject("metadata").put("request_id", "req-1").put("duration", duration).put("channels", 1);
        ArrayNode list = response.putObject("results").putArray("channels").addObject().putArray("alternatives").addObject().putArray("words");
        words.forEach(list::add);
        return response;
    }

    /** A word as Deepgram writes it: {@code word} lower case, {@code punctuated_word} as given. */
    static ObjectNode word(String text, double start, double end) {
        ObjectNode word = JSON.createObjectNode();
        word.put("word", text.toLowerCase(Locale.ROOT)).put("start", start).put("end", end).put("punctuated_word", text);
        return word;
    }

    static ObjectNode speaker(ObjectNode word, int speaker) {
        return word.put("speaker", speaker);
    }

    private static ListenResponse spool(JsonNode response) throws IOException {
        return ListenResponse.of(JSON.writeValueAsString(response));
    }
}
