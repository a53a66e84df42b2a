package dev.deepgramlambda.deepgram;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepgramlambda.spool.Spool;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Deepgram's answer to {@code /v1/listen}, spooled to a file rather than held in memory: an hour
 * of diarized audio is a few MB of JSON, a day of it hundreds. What is kept in memory is the head,
 * every top-level field but {@code results} (metadata, or an error's fields), which is small.
 * Renderings read the file again with a streaming parser; the {@code .json} is uploaded from it.
 *
 * <p>Close it to delete the file.
 */
public final class ListenResponse implements AutoCloseable {
    /**
     * The largest answer kept: about 1.3 M words with utterances and paragraphs, some 140 hours of
     * speech. It lives in {@code /tmp}, which SnapStart limits to 512 MB; the renderings, each a
     * fraction of the answer, fit beside it: the {@code .txt}, then the caption files together.
     */
    public static final long MAX_BYTES = 400L * 1024 * 1024;
    /**
     * The longest string a {@link #results pass} reads whole, e.g. a channel's transcript: 64 M
     * characters is some 10 M words, past anything one request can return, and about 200 MB of
     * heap while it is read. Jackson's default, 20 M, is within reach of a very long recording.
     */
    static final int MAX_TEXT_CHARS = 64 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper STREAMING = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_TEXT_CHARS).build())
            .build());
    private static final int CHUNK = 64 * 1024;

    private final Path file;
    private final JsonNode head;
    private final boolean hasResults;

    private ListenResponse(Path file, JsonNode head, boolean hasResults) {
        this.file = file;
        this.head = head;
        this.hasResults = hasResults;
    }

    /**
     * Spools {@code body} to a file and reads its head. Memory stays at one chunk whatever the size.
     *
     * @param declaredBytes the length the sender announced, -1 when unknown: too large is refused unread
     * @throws IOException reading {@code body} failed: the network's or the store's fault, worth another try
     * @throws DeepgramException {@code RESPONSE_TOO_LARGE} past {@link #MAX_BYTES} or when {@code /tmp}
     *     cannot hold it; {@code RESPONSE_UNREADABLE} when it is not a JSON object
     */
    public static ListenResponse read(InputStream body, long declaredBytes) throws IOException {
        return read(body, declaredBytes, MAX_BYTES);
    }

    /** @param maxBytes {@link #MAX_BYTES}, smaller in tests */
    static ListenResponse read(InputStream body, long declaredBytes, long maxBytes) throws IOException {
        if (declaredBytes > maxBytes) {
            throw tooLarge(declaredBytes + " bytes, over the " + maxBytes + " bytes this function keeps");
        }
        Path file = Spool.newFile(".json");
        try {
            copy(body, file, maxBytes);
            return parse(file);
        } catch (IOException | RuntimeException e) {
            Spool.delete(file);
            throw e;
        }
    }

    /** A response already in memory: the CLI's and priming's small ones. */
    public static ListenResponse of(String body) {
        try {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            return read(new ByteArrayInputStream(bytes), bytes.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies in chunks, telling our own disk's failures (permanent for this answer) from the source's. */
    private static void copy(InputStream body, Path file, long maxBytes) throws IOException {
        byte[] chunk = new byte[CHUNK];
        long size = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int n; (n = body.read(chunk)) != -1; ) {
                size += n;
                if (size > maxBytes) {
                    throw tooLarge("more than " + maxBytes + " bytes, the most this function keeps");
                }
                try {
                    out.write(chunk, 0, n);
                } catch (IOException full) {
                    throw tooLarge(size + " bytes or more, and /tmp could not hold it (" + full.getMessage()
                            + ")");
                }
            }
        }
    }

    private static DeepgramException tooLarge(String size) {
        return DeepgramException.transport(DeepgramException.Kind.RESPONSE_TOO_LARGE, "Deepgram's answer is " + size, null);
    }

    /** One streaming pass: keeps every top-level field but {@code results}, and checks the whole body is JSON. */
    private static ListenResponse parse(Path file) {
        try (JsonParser parser = JSON.createParser(file.toFile())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw unreadable(null);
            }
            ObjectNode head = JSON.createObjectNode();
            boolean hasResults = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("results")) {
                    hasResults = value == JsonToken.START_OBJECT;
                    parser.skipChildren();
                } else {
                    head.set(name, JSON.readTree(parser));
                }
            }
            return new ListenResponse(file, head, hasResults);
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    /** A 2xx body that is not a JSON object: Deepgram did the work and bills it, so it is permanent. */
    static DeepgramException unreadable(IOException cause) {
        return DeepgramException.transport(DeepgramException.Kind.RESPONSE_UNREADABLE,
                "Deepgram answered 2xx with a body that is not a JSON object", cause);
    }

    /**
     * One streaming pass over the body: calls {@code results} with the parser on the value of the
     * top-level {@code results} field, if there is one, and skips everything else unread. The answer
     * is paid for, and another try would return the same, so what the body itself breaks is a
     * permanent {@link DeepgramException}: a string over {@link #MAX_TEXT_CHARS} is
     * {@code RESPONSE_TOO_LARGE}, malformed JSON {@code RESPONSE_UNREADABLE}. Other IOExceptions
     * (the disk, the reader's own output) pass as they are.
     */
    public void results(JsonWalk.Value results) throws IOException {
        try (JsonParser parser = STREAMING.createParser(file.toFile())) {
            parser.nextToken();
            JsonWalk.field(parser, "results", results);
        } catch (StreamConstraintsException e) {
            throw tooLarge("beyond what this function reads: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw unreadable(e);
        }
    }

    /** Where the body is spooled, byte for byte as Deepgram sent it, e.g. to upload it from. */
    public Path file() {
        return file;
    }

    /** Every top-level field but {@code results}: {@code metadata}, or an error's {@code err_code} and kin. */
    public JsonNode head() {
        return head;
    }

    /** Whether the body has a {@code results} object, i.e. is a transcript rather than an error. */
    public boolean hasResults() {
        return hasResults;
    }

    public Optional<String> requestId() {
        return text(head.path("metadata").path("request_id"));
    }

    /** Audio length in seconds, from {@code metadata.duration}. */
    public OptionalDouble durationSeconds() {
        JsonNode duration = head.path("metadata").path("duration");
        return duration.isNumber() ? OptionalDouble.of(duration.asDouble()) : OptionalDouble.empty();
    }

    /** Model names ({@code metadata.model_info.*.name}), falling back to the model ids. */
    public List<String> models() {
        List<String> names = new ArrayList<>();
        head.path("metadata").path("model_info").forEach(info -> text(info.path("name")).ifPresent(names::add));
        if (names.isEmpty()) {
            head.path("metadata").path("models").forEach(id -> text(id).ifPresent(names::add));
        }
        return names;
    }

    private static Optional<String> text(JsonNode node) {
        return node.isTextual() ? Optional.of(node.asText()) : Optional.empty();
    }

    /** Deletes the spooled body. */
    @Override
    public void close() {
        Spool.delete(file);
    }
}
