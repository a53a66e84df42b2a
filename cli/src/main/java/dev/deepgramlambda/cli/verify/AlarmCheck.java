package dev.deepgramlambda.cli.verify;

import dev.deepgramlambda.cli.verify.AlarmContract.ExpectedAlarm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;

/**
 * Every metric alarm of the alarms template exists with its exact threshold, period and topic, actions
 * enabled; a signal alarm (one that feeds a composite alarm) notifies nobody.
 */
final class AlarmCheck {
    private final CloudWatchClient cloudWatch;
    private final AlarmContract contract;

    AlarmCheck(CloudWatchClient cloudWatch, AlarmContract contract) {
        this.cloudWatch = cloudWatch;
        this.contract = contract;
    }

    List<Finding> check(DeployedStack stack) {
        Map<String, MetricAlarm> deployed = new LinkedHashMap<>();
        cloudWatch.describeAlarmsPaginator(r -> r.alarmNamePrefix(stack.name() + "-")).metricAlarms()
                .forEach(alarm -> deployed.put(alarm.alarmName(), alarm));
        List<Finding> findings = new ArrayList<>();
        for (ExpectedAlarm expected : contract.alarms()) {
            String item = "alarm " + expected.nameSuffix().substring(1);
            MetricAlarm alarm = deployed.get(expected.name(stack.name()));
            String topic = expected.severity() == AlarmContract.Severity.SIGNAL ? null
                    : stack.output(expected.severity().topicName).orElse(null);
            findings.add(alarm == null
                    ? Finding.fail(item, "no alarm named " + expected.name(stack.name()) + " (" + expected.logicalId()
                            + " of alarms/template.yaml): the alarms application was not deployed; run sam deploy again")
                    : judge(item, expected, alarm, topic));
        }
        return findings;
    }

    static Finding judge(String item, ExpectedAlarm expected, MetricAlarm alarm, String topicArn) {
        List<String> wrong = new ArrayList<>();
        int period = alarm.period() != null ? alarm.period()
                : alarm.metrics().stream().filter(q -> q.metricStat() != null).map(q -> q.metricStat().period()).findFirst().orElse(0);
        if (alarm.threshold() == null || alarm.threshold() != expected.threshold()) {
            wrong.add("threshold is " + number(alarm.threshold()) + ", the checklist's is " + number(expected.threshold()));
        }
        if (!expected.comparison().equals(alarm.comparisonOperatorAsString())) {
            wrong.add("comparison is " + alarm.comparisonOperatorAsString() + ", expected " + expected.comparison());
        }
        if (period != expected.period()) {
            wrong.add("period is " + period + " s, expected " + expected.period() + " s");
        }
        int datapoints = alarm.datapointsToAlarm() != null ? alarm.datapointsToAlarm() : alarm.evaluationPeriods();
        if (alarm.evaluationPeriods() != expected.evaluationPeriods() || datapoints != expected.datapointsToAlarm()) {
            wrong.add(datapoints + " of " + alarm.evaluationPeriods() + " periods, expected " + expected.datapointsToAlarm()
                    + " of " + expected.evaluationPeriods());
        }
        if (!Boolean.TRUE.equals(alarm.actionsEnabled())) {
            wrong.add("actions are disabled: aws cloudwatch enable-alarm-actions --alarm-names " + alarm.alarmName());
        }
        String severity = expected.severity().name().toLowerCase(java.util.Locale.ROOT);
        if (expected.severity() == AlarmContract.Severity.SIGNAL) {
            if (!alarm.alarmActions().isEmpty()) {
                wrong.add("notifies " + alarm.alarmActions() + ", but it is a signal of a composite alarm, which pages: it would page twice");
            }
        } else if (topicArn == null || !alarm.alarmActions().contains(topicArn)) {
            wrong.add("does not notify the " + severity + " topic " + (topicArn == null ? "(no stack output "
                    + expected.severity().topicName + ")" : topicArn) + "; notifies " + alarm.alarmActions());
        }
        String summary = operator(expected.comparison()) + " " + number(expected.threshold()) + " over "
                + (expected.evaluationPeriods() > 1 ? expected.datapointsToAlarm() + " of " + expected.evaluationPeriods() + " x " : "")
                + expected.period() + " s, " + (expected.severity() == AlarmContract.Severity.SIGNAL
                        ? "signal of a composite alarm (notifies nobody)" : severity + " topic");
        if (wrong.isEmpty()) {
            return Finding.pass(item, summary);
        }
        return Finding.fail(item, alarm.alarmName() + ": " + String.join("; ", wrong),
                "expected " + summary + " (alarms/template.yaml); run sam deploy again to put it back");
    }

    private static String operator(String comparison) {
        return switch (comparison) {
            case "GreaterThanThreshold" -> ">";
            case "GreaterThanOrEqualToThreshold" -> ">=";
            case "LessThanThreshold" -> "<";
            case "LessThanOrEqualToThreshold" -> "<=";
            default -> comparison;
        };
    }

    private static String number(Double value) {
        if (value == null) {
            return "unset";
        }
        return value == Math.rint(value) ? Long.toString(value.longValue()) : value.toString();
    }
}
