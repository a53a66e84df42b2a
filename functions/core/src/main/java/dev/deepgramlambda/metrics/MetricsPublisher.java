package dev.deepgramlambda.metrics;

import dev.deepgramlambda.config.Env;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.cloudwatchlogs.emf.environment.LambdaEnvironment;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.Unit;

/**
 * Writes CloudWatch Embedded Metric Format lines to standard output, where Lambda's log agent turns
 * them into metrics. Dimensions are always set explicitly: the library's default
 * {@code LogGroup}/{@code ServiceName}/{@code ServiceType} dimensions would make every alarm on
 * {@code Service} miss.
 */
public final class MetricsPublisher {
    private final String namespace;
    private final String service;

    /** One metric value. */
    public record Datum(String name, double value, Unit unit) {}

    public MetricsPublisher(String namespace, String service) {
        this.namespace = namespace;
        this.service = service;
    }

    public MetricsPublisher(MetricsSettings settings) {
        this(settings.namespace(), settings.service());
    }

    public static MetricsPublisher from(Env env) {
        return new MetricsPublisher(MetricsSettings.from(env));
    }

    public String namespace() {
        return namespace;
    }

    public String service() {
        return service;
    }

    /** One EMF line with {@code data} under the single dimension set [Service]. */
    public void publish(List<Datum> data, Map<String, ?> properties) {
        emit(data, properties, DimensionSet.of(MetricNames.SERVICE, service));
    }

    /** {@code Transcriptions = 1} under [Service] and [Service, Status], one line per record. */
    public void publishOutcome(MetricNames.Status status, Map<String, ?> properties) {
        emit(List.of(new Datum(MetricNames.TRANSCRIPTIONS, 1, Unit.COUNT)), properties,
                DimensionSet.of(MetricNames.SERVICE, service),
                DimensionSet.of(MetricNames.SERVICE, service, MetricNames.STATUS, status.value()));
    }

    private void emit(List<Datum> data, Map<String, ?> properties, DimensionSet... dimensionSets) {
        MetricsLogger logger = new MetricsLogger(new LambdaEnvironment());
        logger.setNamespace(namespace);
        logger.setDimensions(dimensionSets);
        data.forEach(d -> logger.putMetric(d.name(), d.value(), d.unit()));
        new LinkedHashMap<>(properties).forEach((k, v) -> {
            if (v != null) {
                logger.putProperty(k, v);
            }
        });
        logger.flush();
    }
}
