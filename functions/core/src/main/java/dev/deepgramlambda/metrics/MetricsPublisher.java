package dev.deepgramlambda.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.deepgramlambda.config.Env;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import software.amazon.cloudwatchlogs.emf.environment.Environment;
import software.amazon.cloudwatchlogs.emf.environment.LambdaEnvironment;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.model.Unit;
import software.amazon.cloudwatchlogs.emf.sinks.ISink;

/**
 * Writes CloudWatch Embedded Metric Format lines to standard output, where Lambda's log agent turns
 * them into metrics. Dimensions are always set explicitly: the library's default
 * {@code LogGroup}/{@code ServiceName}/{@code ServiceType} dimensions would make every alarm on
 * {@code Service} miss.
 */
public final class MetricsPublisher {
    private final String namespace;
    private final String service;
    private final Supplier<Environment> environment;

    /** One metric value. */
    public record Datum(String name, double value, Unit unit) {}

    public MetricsPublisher(String namespace, String service) {
        this(namespace, service, LambdaEnvironment::new);
    }

    private MetricsPublisher(String namespace, String service, Supplier<Environment> environment) {
        this.namespace = namespace;
        this.service = service;
        this.environment = environment;
    }

    public MetricsPublisher(MetricsSettings settings) {
        this(settings.namespace(), settings.service());
    }

    public static MetricsPublisher from(Env env) {
        return new MetricsPublisher(MetricsSettings.from(env));
    }

    /**
     * The same publisher, but its lines are rendered and thrown away instead of printed: for
     * priming, which must exercise the EMF serialization without emitting a metric CloudWatch would count.
     */
    public MetricsPublisher offline() {
        return new MetricsPublisher(namespace, service, RenderOnly::new);
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
        MetricsLogger logger = new MetricsLogger(environment.get());
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

    /** Lambda's EMF environment with a sink that serializes each line and prints nothing. */
    private static final class RenderOnly extends LambdaEnvironment {
        @Override
        public ISink getSink() {
            return new ISink() {
                @Override
                public void accept(MetricsContext context) {
                    try {
                        context.serialize();
                    } catch (JsonProcessingException e) {
                        throw new UncheckedIOException(e);
                    }
                }

                @Override
                public CompletableFuture<Void> shutdown() {
                    return CompletableFuture.completedFuture(null);
                }
            };
        }
    }
}
