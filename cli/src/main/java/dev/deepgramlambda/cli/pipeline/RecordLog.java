package dev.deepgramlambda.cli.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The line TranscribeFunction logs for each S3 record it handled (JSON, one object per line: message
 * {@code Record <outcome>} with the fields {@code outcome}, {@code reason}, {@code detail}, and
 * {@code deepgramRequestId} and {@code output} when known), as read from the function's output.
 */
public record RecordLog(String outcome, String reason, String detail, Optional<String> deepgramRequestId, Optional<String> output) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(20);

    /** The last record line among {@code lines} from index {@code from} on. */
    public static Optional<RecordLog> last(List<String> lines, int from) {
        List<String> copy;
        synchronized (lines) {
            copy = List.copyOf(lines.subList(Math.min(from, lines.size()), lines.size()));
        }
        Optional<RecordLog> found = Optional.empty();
        for (String line : copy) {
            Optional<RecordLog> parsed = parse(line);
            if (parsed.isPresent()) {
                found = parsed;
            }
        }
        return found;
    }

    /**
     * The record line the function printed after {@code from}, waiting up to {@code timeout}: the
     * runtime answers an invocation as soon as the handler returns, and the line it printed just before
     * may still be on its way through the pipe.
     */
    public static Optional<RecordLog> await(List<String> lines, int from, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<RecordLog> found = last(lines, from);
        while (found.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis());
            found = last(lines, from);
        }
        return found;
    }

    static Optional<RecordLog> parse(String line) {
        if (!line.startsWith("{") || !line.contains("\"outcome\"")) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(line);
            if (!node.path("outcome").isTextual()) {
                return Optional.empty();
            }
            return Optional.of(new RecordLog(node.path("outcome").asText(), node.path("reason").asText(), node.path("detail").asText(),
                    text(node, "deepgramRequestId"), text(node, "output")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> text(JsonNode node, String field) {
        return node.path(field).isTextual() ? Optional.of(node.path(field).asText()) : Optional.empty();
    }
}
