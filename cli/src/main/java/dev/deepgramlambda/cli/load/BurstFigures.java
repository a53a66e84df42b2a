package dev.deepgramlambda.cli.load;

import dev.deepgramlambda.cli.NearestRank;
import dev.deepgramlambda.cli.metrics.EmfRecord;
import dev.deepgramlambda.metrics.MetricNames;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricStatisticsResponse;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * How a burst went through admission control, from the function's own metrics: the most Deepgram jobs
 * in flight at once ({@code InFlightJobs}, the sweep's gauge), how long admitted uploads waited
 * ({@code AdmissionWaitSeconds} p95, when any waited) and {@code Transcriptions} by status.
 *
 * @param source where the figures come from, printed with them
 */
record BurstFigures(OptionalDouble peakInFlightJobs, OptionalDouble admissionWaitP95Seconds, Map<String, Double> transcriptionsByStatus,
                    String source) {
    /** The statuses a burst goes through, in the order an upload meets them. */
    static final List<MetricNames.Status> STATUSES = List.of(MetricNames.Status.SUBMITTED, MetricNames.Status.QUEUED,
            MetricNames.Status.SUCCESS, MetricNames.Status.FAILURE);

    BurstFigures {
        transcriptionsByStatus = Collections.unmodifiableMap(new LinkedHashMap<>(transcriptionsByStatus));
    }

    /** From the EMF lines the function printed (--local). */
    static BurstFigures fromEmf(List<EmfRecord> records) {
        List<Double> inFlight = values(records, MetricNames.IN_FLIGHT_JOBS);
        List<Double> waits = values(records, MetricNames.ADMISSION_WAIT_SECONDS);
        Map<String, Double> byStatus = new LinkedHashMap<>();
        STATUSES.forEach(status -> byStatus.put(status.value(), 0.0));
        for (EmfRecord record : records) {
            String status = record.dimensionSets().stream().map(set -> set.get(MetricNames.STATUS))
                    .filter(java.util.Objects::nonNull).findFirst().orElse(null);
            if (status != null && byStatus.containsKey(status)) {
                double count = record.metrics().stream().filter(m -> m.name().equals(MetricNames.TRANSCRIPTIONS))
                        .mapToDouble(EmfRecord.Metric::sum).sum();
                byStatus.merge(status, count, Double::sum);
            }
        }
        return new BurstFigures(inFlight.stream().mapToDouble(Double::doubleValue).max(), percentile95(waits), byStatus,
                "the function's EMF lines");
    }

    /**
     * From CloudWatch (a deployed stack): InFlightJobs Maximum, AdmissionWaitSeconds p95 and
     * Transcriptions Sum per Status, over the test's minutes, for the stack's Service dimension.
     */
    static BurstFigures fromCloudWatch(CloudWatchClient cloudWatch, String namespace, String service, Instant from, Instant to) {
        Instant start = from.truncatedTo(ChronoUnit.MINUTES);
        Instant end = to.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        // one period over the whole test: CloudWatch periods are multiples of 60 s
        int period = (int) Math.max(60, Duration.between(start, end).toMinutes() * 60);
        Dimension serviceDimension = Dimension.builder().name(MetricNames.SERVICE).value(service).build();
        OptionalDouble peak = statistic(cloudWatch.getMetricStatistics(r -> r.namespace(namespace).metricName(MetricNames.IN_FLIGHT_JOBS)
                .dimensions(serviceDimension).startTime(start).endTime(end).period(period).statistics(Statistic.MAXIMUM)), Datapoint::maximum);
        GetMetricStatisticsResponse waits = cloudWatch.getMetricStatistics(r -> r.namespace(namespace).metricName(MetricNames.ADMISSION_WAIT_SECONDS)
                .dimensions(serviceDimension).startTime(start).endTime(end).period(period).extendedStatistics("p95"));
        OptionalDouble p95 = statistic(waits, d -> d.extendedStatistics() == null ? null : d.extendedStatistics().get("p95"));
        Map<String, Double> byStatus = new LinkedHashMap<>();
        for (MetricNames.Status status : STATUSES) {
            Dimension statusDimension = Dimension.builder().name(MetricNames.STATUS).value(status.value()).build();
            double sum = cloudWatch.getMetricStatistics(r -> r.namespace(namespace).metricName(MetricNames.TRANSCRIPTIONS)
                    .dimensions(serviceDimension, statusDimension).startTime(start).endTime(end).period(period)
                    .statistics(Statistic.SUM)).datapoints().stream().mapToDouble(Datapoint::sum).sum();
            byStatus.put(status.value(), sum);
        }
        return new BurstFigures(peak, p95, byStatus, "CloudWatch " + namespace + ", " + MetricNames.SERVICE + "=" + service + ", "
                + start + " to " + end);
    }

    /** The largest value of the answer's datapoints (a maximum, or a percentile: the worst period's). */
    private static OptionalDouble statistic(GetMetricStatisticsResponse response, java.util.function.Function<Datapoint, Double> value) {
        return response.datapoints().stream().map(value).filter(java.util.Objects::nonNull).mapToDouble(Double::doubleValue).max();
    }

    private static List<Double> values(List<EmfRecord> records, String name) {
        List<Double> values = new ArrayList<>();
        records.forEach(r -> r.metrics().stream().filter(m -> m.name().equals(name)).forEach(m -> values.addAll(m.values())));
        return values;
    }

    /** The 95th percentile of {@code seconds} (nearest rank, as the latency line); empty when there are none. */
    static OptionalDouble percentile95(List<Double> seconds) {
        if (seconds.isEmpty()) {
            return OptionalDouble.empty();
        }
        List<Duration> durations = seconds.stream().map(s -> Duration.ofNanos(Math.round(s * 1e9))).toList();
        return OptionalDouble.of(NearestRank.percentile(durations, 95).toNanos() / 1e9);
    }
}
