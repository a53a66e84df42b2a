package dev.deepgramlambda.cli.aws;

import dev.deepgramlambda.cli.metrics.EmfRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.LoggingConfig;

/**
 * A function's log group. Its EMF lines are the metrics at the source: read from here they count
 * exactly the test's time window within seconds, where the CloudWatch metrics built from them can
 * take minutes to appear.
 */
public final class FunctionLogs {
    private final CloudWatchLogsClient logs;
    private final String logGroup;

    public FunctionLogs(CloudWatchLogsClient logs, String logGroup) {
        this.logs = logs;
        this.logGroup = logGroup;
    }

    /** Lambda's default log group of a function. */
    public static String defaultLogGroup(String functionName) {
        return "/aws/lambda/" + functionName;
    }

    /** Where {@code function} logs: its logging configuration's group (the template may set one), else the default. */
    public static String logGroupOf(GetFunctionConfigurationResponse function) {
        LoggingConfig logging = function.loggingConfig();
        return logging != null && logging.logGroup() != null ? logging.logGroup() : defaultLogGroup(function.functionName());
    }

    public String logGroup() {
        return logGroup;
    }

    /** The sum of {@code metric} in EMF lines logged between {@code from} and {@code to} with dimension {@code dimension=value}. */
    public double sum(String metric, String dimension, String value, Instant from, Instant to) {
        List<EmfRecord> records = logs.filterLogEventsPaginator(r -> r.logGroupName(logGroup)
                        .startTime(from.toEpochMilli()).endTime(to.toEpochMilli())).events().stream()
                .map(event -> EmfRecord.parse(event.message())).flatMap(Optional::stream)
                .filter(record -> record.dimensionSets().stream().anyMatch(set -> value.equals(set.get(dimension))))
                .toList();
        return EmfRecord.total(records, metric);
    }
}
