package dev.deepgramlambda.cli.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The alarms a deployment must have, read from {@code alarms/template.yaml} (bundled into the CLI at
 * build time): the template's Thresholds mapping is the one place the checklist's thresholds are
 * written, and the template tests (tests/template) check it against the checklist. Nothing here
 * repeats a threshold. Composite alarms (AWS::CloudWatch::CompositeAlarm: the SLO pages) are not part of
 * this contract yet: they have no threshold, and moto 5.2 cannot create them (no PutCompositeAlarm)
 * for the test to deploy; their signal alarms are.
 *
 * <p>The YAML reader drops CloudFormation's short-form tags, so {@code !FindInMap [a, b, c]} reads as
 * the list {@code [a, b, c]}, {@code !Ref X} as {@code X} and {@code !Sub "${ServiceName}-x"} as its
 * text; that is all this contract needs.
 */
final class AlarmContract {
    private static final String RESOURCE = "alarms/template.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /**
     * Which of the parent stack's topics an alarm notifies: its output and the nested stack's parameter.
     * A SIGNAL alarm notifies nobody: it feeds a composite alarm (the SLO burn-rate windows), which pages.
     */
    enum Severity {
        CRITICAL("CriticalTopicArn"), WARNING("WarningTopicArn"), SIGNAL(null);

        /** Both the parent stack's output and the alarms template's parameter carry this name; null for SIGNAL. */
        final String topicName;

        Severity(String topicName) {
            this.topicName = topicName;
        }

        /** @param parameter the topic parameter of the alarm's first action, or null when it has none */
        static Severity ofTopicParameter(String parameter) {
            if (parameter == null) {
                return SIGNAL;
            }
            for (Severity severity : values()) {
                if (severity.topicName.equals(parameter)) {
                    return severity;
                }
            }
            throw new IllegalStateException("alarms template: unknown alarm topic " + parameter);
        }
    }

    /**
     * One alarm as the template defines it.
     *
     * @param period seconds; for a metric-math alarm, the period of its metric queries
     */
    record ExpectedAlarm(String logicalId, String nameSuffix, String comparison, double threshold, int period,
                         int evaluationPeriods, int datapointsToAlarm, Severity severity) {
        String name(String serviceName) {
            return serviceName + nameSuffix;
        }
    }

    private final JsonNode template;
    private final List<ExpectedAlarm> alarms;

    private AlarmContract(JsonNode template) {
        this.template = template;
        List<ExpectedAlarm> expected = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = template.path("Resources").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> resource = it.next();
            if ("AWS::CloudWatch::Alarm".equals(resource.getValue().path("Type").asText())) {
                expected.add(alarm(resource.getKey(), resource.getValue().path("Properties")));
            }
        }
        this.alarms = List.copyOf(expected);
    }

    static AlarmContract bundled() {
        try (InputStream in = AlarmContract.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the CLI was built without " + RESOURCE + " (cli/pom.xml bundles alarms/template.yaml)");
            }
            return new AlarmContract(YAML.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled " + RESOURCE, e);
        }
    }

    List<ExpectedAlarm> alarms() {
        return alarms;
    }

    /** A value of the template's Thresholds mapping, e.g. {@code threshold("ApiKeyExpiry", "WarningDays")}. */
    double threshold(String key, String name) {
        JsonNode value = template.path("Mappings").path("Thresholds").path(key).path(name);
        if (value.isMissingNode()) {
            throw new IllegalStateException("alarms template has no Thresholds." + key + "." + name);
        }
        return value.asDouble();
    }

    private ExpectedAlarm alarm(String logicalId, JsonNode properties) {
        String name = properties.path("AlarmName").asText();
        String placeholder = "${ServiceName}";
        if (!name.startsWith(placeholder)) {
            throw new IllegalStateException("alarms template: " + logicalId + "'s AlarmName does not start with " + placeholder);
        }
        JsonNode period = properties.has("Period") ? properties.get("Period")
                : properties.path("Metrics").path(0).path("MetricStat").path("Period");
        int evaluationPeriods = (int) number(properties.path("EvaluationPeriods"));
        return new ExpectedAlarm(logicalId, name.substring(placeholder.length()), properties.path("ComparisonOperator").asText(),
                number(properties.path("Threshold")), (int) number(period), evaluationPeriods,
                properties.has("DatapointsToAlarm") ? (int) number(properties.get("DatapointsToAlarm")) : evaluationPeriods,
                Severity.ofTopicParameter(properties.path("AlarmActions").path(0).textValue()));
    }

    /** A literal, or a {@code !FindInMap [map, top, second]} (read as that list) resolved in the template. */
    private double number(JsonNode value) {
        if (value.isArray() && value.size() == 3) {
            JsonNode mapped = template.path("Mappings").path(value.get(0).asText()).path(value.get(1).asText()).path(value.get(2).asText());
            return Optional.of(mapped).filter(n -> !n.isMissingNode())
                    .orElseThrow(() -> new IllegalStateException("alarms template: no mapping value " + value)).asDouble();
        }
        if (value.isMissingNode() || !(value.isNumber() || value.isTextual())) {
            throw new IllegalStateException("alarms template: expected a number, got " + value);
        }
        return value.asDouble();
    }
}
