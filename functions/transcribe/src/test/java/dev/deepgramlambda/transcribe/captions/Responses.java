package dev.deepgramlambda.transcribe.captions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepgramlambda.deepgram.ListenResponse;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/** Captions of a response built in a test, spooled as Deepgram's answers are (and the spool deleted after). */
final class Responses {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Responses() {}

    static String render(CaptionFormat format, JsonNode response, CaptionRules rules) {
        try (ListenResponse spooled = spool(response)) {
            StringWriter out = new StringWriter();
            format.render(spooled, rules, out);
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Cue> cues(JsonNode response, CaptionRules rules) {
        try (ListenResponse spooled = spool(response)) {
            return CaptionFormat.cues(spooled, rules);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ListenResponse spool(JsonNode response) throws IOException {
        return ListenResponse.of(JSON.writeValueAsString(response));
    }
}
