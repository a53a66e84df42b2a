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
import java.util.Map;
import java.util.TreeMap;

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

    /**
     * An EMF line's metric definitions as name to unit, sorted by name: the EMF library keeps them
     * in a hash map, so their order in the line carries no meaning.
     */
    public static Map<String, String> metricUnits(JsonNode emfLine) {
        Map<String, String> units = new TreeMap<>();
        JsonNode metrics = emfLine.path("_aws").path("CloudWatchMetrics").get(0).path("Metrics");
        metrics.forEach(m -> units.put(m.path("Name").asText(), m.path("Unit").asText()));
        if (units.size() != metrics.size()) {
            throw new AssertionError("a metric is defined twice: " + metrics);
        }
        return units;
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
