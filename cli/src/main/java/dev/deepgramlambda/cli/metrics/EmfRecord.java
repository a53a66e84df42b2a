package dev.deepgramlambda.cli.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One Embedded Metric Format line from a function's stdout, read the way CloudWatch Logs extracts
 * metrics from it: the {@code _aws.CloudWatchMetrics} directive names namespace, dimension sets and
 * metrics; values and dimension values are the line's top-level members. Only the first directive
 * is read: EMF allows several per line, aws-embedded-metrics writes one.
 *
 * @param dimensionSets each set with its dimension values, e.g. {Service=x, Status=success}
 */
public record EmfRecord(String namespace, List<Map<String, String>> dimensionSets, List<Metric> metrics) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A metric with its unit and value(s): EMF allows an array of values. */
    public record Metric(String name, String unit, List<Double> values) {
        public double sum() {
            return values.stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    public static List<EmfRecord> parseAll(List<String> lines) {
        return lines.stream().map(EmfRecord::parse).flatMap(Optional::stream).toList();
    }

    public static Optional<EmfRecord> parse(String line) {
        if (!line.startsWith("{") || !line.contains("\"_aws\"")) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = JSON.readTree(line);
        } catch (IOException notJson) {
            return Optional.empty();
        }
        JsonNode directive = root.path("_aws").path("CloudWatchMetrics").path(0);
        if (directive.isMissingNode()) {
            return Optional.empty();
        }
        List<Map<String, String>> dimensionSets = new ArrayList<>();
        for (JsonNode set : directive.path("Dimensions")) {
            Map<String, String> dimensions = new LinkedHashMap<>();
            set.forEach(name -> dimensions.put(name.asText(), root.path(name.asText()).asText()));
            dimensionSets.add(dimensions);
        }
        List<Metric> metrics = new ArrayList<>();
        for (JsonNode definition : directive.path("Metrics")) {
            String name = definition.path("Name").asText();
            JsonNode value = root.path(name);
            List<Double> values = new ArrayList<>();
            if (value.isArray()) {
                value.forEach(v -> values.add(v.asDouble()));
            } else if (value.isNumber()) {
                values.add(value.asDouble());
            }
            metrics.add(new Metric(name, definition.path("Unit").asText("None"), values));
        }
        return Optional.of(new EmfRecord(directive.path("Namespace").asText(), dimensionSets, metrics));
    }

    /** The sum of {@code name} over all {@code records}. */
    public static double total(List<EmfRecord> records, String name) {
        return records.stream().flatMap(r -> r.metrics().stream()).filter(m -> m.name().equals(name)).mapToDouble(Metric::sum).sum();
    }
}
