package dev.deepgramlambda.cli.verify;

import dev.deepgramlambda.cli.smoke.HealthCheck;
import dev.deepgramlambda.metrics.MetricNames;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/** {@code /health} answers 200 (signed when IAM auth is on), and the canary's latest HealthCheck value is recent and healthy. */
final class HealthChecks {
    private final HealthCheck endpoint;
    private final CloudWatchClient cloudWatch;
    private final Clock clock;
    /** The health alarm's minimum, period and periods (alarms template Thresholds.Health). */
    private final double healthy;
    private final Duration period;
    private final int periods;

    HealthChecks(HealthCheck endpoint, CloudWatchClient cloudWatch, Clock clock, AlarmContract contract) {
        this.endpoint = endpoint;
        this.cloudWatch = cloudWatch;
        this.clock = clock;
        this.healthy = contract.threshold("Health", "Minimum");
        this.period = Duration.ofSeconds((long) contract.threshold("Health", "PeriodSeconds"));
        this.periods = (int) contract.threshold("Health", "Periods");
    }

    List<Finding> check(DeployedStack stack) {
        return List.of(endpoint(stack.deployment().healthUrl()), metric(stack));
    }

    private Finding endpoint(String url) {
        try {
            HealthCheck.Verdict verdict = endpoint.check(URI.create(url));
            List<String> summary = HealthCheck.summary(verdict);
            String evidence = url + " answered " + summary.get(0) + ": " + summary.get(1);
            return verdict.healthy() ? Finding.pass("health endpoint", evidence)
                    : Finding.fail("health endpoint", evidence, "see alarms/README.md#health-check-failing-critical");
        } catch (IOException | IllegalArgumentException e) {
            return Finding.fail("health endpoint", "no answer from " + url + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Finding.fail("health endpoint", "interrupted");
        }
    }

    /** The canary reports every period; the health alarm fires after {@code periods} without a healthy value. */
    private Finding metric(DeployedStack stack) {
        String namespace = stack.parameter("MetricsNamespace").orElse(MetricNames.DEFAULT_NAMESPACE);
        Instant now = clock.instant();
        Duration window = period.multipliedBy(15);
        List<Datapoint> datapoints = cloudWatch.getMetricStatistics(r -> r.namespace(namespace).metricName(MetricNames.HEALTH_CHECK)
                .dimensions(d -> d.name(MetricNames.SERVICE).value(stack.name()))
                .startTime(now.minus(window)).endTime(now.plusSeconds(60)).period((int) period.toSeconds())
                .statistics(Statistic.MINIMUM)).datapoints();
        Optional<Datapoint> latest = datapoints.stream().max(Comparator.comparing(Datapoint::timestamp));
        String metric = namespace + "/" + MetricNames.HEALTH_CHECK + " (Service=" + stack.name() + ")";
        if (latest.isEmpty()) {
            return Finding.fail("health metric", "no " + metric + " value in the last " + window.toMinutes() + " minutes: the canary"
                    + " is not running; check HealthCheckFunction's schedule and logs (sam logs -n HealthCheckFunction --stack-name "
                    + stack.name() + ")");
        }
        Duration age = Duration.between(latest.get().timestamp(), now);
        String value = "latest " + metric + " = " + latest.get().minimum() + " at " + latest.get().timestamp() + " (" + age.toSeconds() + " s ago)";
        if (age.compareTo(period.multipliedBy(periods + 1L)) > 0) {
            return Finding.fail("health metric", value + ": stale, the canary stopped reporting; the health alarm fires after "
                    + periods + " silent periods of " + period.toSeconds() + " s");
        }
        if (latest.get().minimum() < healthy) {
            return Finding.fail("health metric", value + ": Deepgram unhealthy; see alarms/README.md#health-check-failing-critical");
        }
        return Finding.pass("health metric", value);
    }
}
