package dev.deepgramlambda.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Captures standard output, where Lambda functions write logs and EMF metric lines, and gives it
 * back as parsed JSON lines. Use with try-with-resources.
 */
public final class StdoutCapture implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PrintStream original = System.out;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    public StdoutCapture() {
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    }

    public String text() {
        return buffer.toString(StandardCharsets.UTF_8);
    }

    /** Every line that is a JSON object. */
    public List<JsonNode> jsonLines() {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text().split("\n")) {
            if (line.startsWith("{")) {
                try {
                    lines.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException("not JSON: " + line, e);
                }
            }
        }
        return lines;
    }

    /** Lines in Embedded Metric Format (those with {@code _aws.CloudWatchMetrics}). */
    public List<JsonNode> emfLines() {
        return jsonLines().stream().filter(l -> l.path("_aws").has("CloudWatchMetrics")).toList();
    }

    /** Log lines (JSON lines that are not EMF). */
    public List<JsonNode> logLines() {
        return jsonLines().stream().filter(l -> !l.has("_aws")).toList();
    }

    @Override
    public void close() {
        System.setOut(original);
    }
}
