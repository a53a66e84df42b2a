package dev.deepgramlambda.health;

import dev.deepgramlambda.health.check.HealthReport;
import dev.deepgramlambda.metrics.MetricNames;
import dev.deepgramlambda.metrics.MetricsPublisher;
import dev.deepgramlambda.metrics.MetricsPublisher.Datum;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.cloudwatchlogs.emf.model.Unit;

/**
 * One EMF line per check actually run: {@code HealthCheck} always, {@code HealthCheckLatency} when
 * Deepgram was called, {@code ApiKeyDaysToExpiry} when the key's expiry is known. The verdict and
 * its reason ride along as properties, so the line is also the run's log entry.
 */
final class HealthMetrics {
    /** What started a check, recorded with its metrics. */
    enum Trigger {
        SCHEDULE, HTTP;

        String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final MetricsPublisher publisher;

    HealthMetrics(MetricsPublisher publisher) {
        this.publisher = publisher;
    }

    void publish(HealthReport report, Trigger trigger) {
        List<Datum> data = new ArrayList<>();
        data.add(new Datum(MetricNames.HEALTH_CHECK, report.status().passes() ? 1 : 0, Unit.NONE));
        report.latency().ifPresent(latency ->
                data.add(new Datum(MetricNames.HEALTH_CHECK_LATENCY, latency.toMillis(), Unit.MILLISECONDS)));
        report.keyDaysToExpiry().ifPresent(days ->
                data.add(new Datum(MetricNames.API_KEY_DAYS_TO_EXPIRY, days, Unit.NONE)));
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("trigger", trigger.value());
        properties.put("status", report.status().value());
        properties.put("reason", report.reason());
        publisher.publish(data, properties);
    }
}
