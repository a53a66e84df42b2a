package dev.deepgramlambda.cli.verify;

import dev.deepgramlambda.cli.verify.AlarmContract.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.Subscription;

/**
 * Each alert topic reaches someone: at least one confirmed subscription. SNS lists a subscription
 * whose confirmation is still outstanding (an e-mail nobody clicked) with the subscription ARN
 * {@code PendingConfirmation} (SNS API reference, ListSubscriptionsByTopic); it receives nothing.
 */
final class AlertTopicCheck {
    static final String PENDING = "PendingConfirmation";

    private final SnsClient sns;

    AlertTopicCheck(SnsClient sns) {
        this.sns = sns;
    }

    List<Finding> check(DeployedStack stack) {
        List<Finding> findings = new ArrayList<>();
        for (Severity severity : List.of(Severity.CRITICAL, Severity.WARNING)) {
            String item = "topic " + severity.name().toLowerCase(Locale.ROOT);
            findings.add(stack.output(severity.topicName)
                    .map(arn -> judge(item, arn, sns.listSubscriptionsByTopicPaginator(r -> r.topicArn(arn)).subscriptions().stream().toList()))
                    .orElseGet(() -> Finding.fail(item, "the stack has no output " + severity.topicName)));
        }
        return findings;
    }

    static Finding judge(String item, String topicArn, List<Subscription> subscriptions) {
        List<String> confirmed = subscriptions.stream().filter(s -> !PENDING.equals(s.subscriptionArn()))
                .map(s -> s.protocol() + ":" + s.endpoint()).toList();
        List<String> pending = subscriptions.stream().filter(s -> PENDING.equals(s.subscriptionArn()))
                .map(s -> s.protocol() + ":" + s.endpoint()).toList();
        String topic = topicArn.substring(topicArn.lastIndexOf(':') + 1);
        if (!confirmed.isEmpty()) {
            return pending.isEmpty()
                    ? Finding.pass(item, topic + ": confirmed " + String.join(", ", confirmed))
                    : Finding.warn(item, topic + ": confirmed " + String.join(", ", confirmed) + "; still pending "
                            + String.join(", ", pending) + " (those receive nothing until confirmed)");
        }
        if (!pending.isEmpty()) {
            return Finding.fail(item, topic + ": no confirmed subscription; pending confirmation: " + String.join(", ", pending),
                    "alarms reach nobody: open the 'AWS Notification - Subscription Confirmation' e-mail and click Confirm subscription",
                    "(resend it: aws sns subscribe --topic-arn " + topicArn + " --protocol email --notification-endpoint ADDRESS)");
        }
        return Finding.fail(item, topic + ": no subscription at all: alarms reach nobody",
                "deploy with NotificationEmail=ADDRESS, or subscribe your pager: aws sns subscribe --topic-arn " + topicArn + " ...");
    }
}
