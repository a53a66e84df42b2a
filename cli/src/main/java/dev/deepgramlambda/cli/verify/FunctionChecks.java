package dev.deepgramlambda.cli.verify;

import dev.deepgramlambda.cli.aws.FailureQueue;
import dev.deepgramlambda.cli.stack.Deployment;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.FilterRule;
import software.amazon.awssdk.services.s3.model.LambdaFunctionConfiguration;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * TranscribeFunction's wiring: the S3 trigger and its prefixes, reserved concurrency against
 * Deepgram's limit, the on-failure destination and what waits in it, and log retention.
 */
final class FunctionChecks {
    private final LambdaClient lambda;
    private final S3Client s3;
    private final SqsClient sqs;
    private final CloudWatchLogsClient logs;
    private final int deepgramLimit;
    private final String limitSource;

    FunctionChecks(LambdaClient lambda, S3Client s3, SqsClient sqs, CloudWatchLogsClient logs, int deepgramLimit, String limitSource) {
        this.lambda = lambda;
        this.s3 = s3;
        this.sqs = sqs;
        this.logs = logs;
        this.deepgramLimit = deepgramLimit;
        this.limitSource = limitSource;
    }

    List<Finding> check(DeployedStack stack) {
        Optional<String> name = stack.physicalId(Deployment.TRANSCRIBE_FUNCTION);
        if (name.isEmpty()) {
            return List.of(Finding.fail("transcribe function", "the stack has no " + Deployment.TRANSCRIBE_FUNCTION));
        }
        GetFunctionConfigurationResponse function = lambda.getFunctionConfiguration(r -> r.functionName(name.get()));
        List<Finding> findings = new ArrayList<>(trigger(stack.deployment(), function.functionArn()));
        findings.add(concurrency(name.get()));
        String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(stack.deployment().failureQueueUrl().orElseThrow())
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        findings.add(onFailureDestination(name.get(), queueArn));
        findings.add(failureQueue(stack));
        findings.add(logRetention(stack));
        return findings;
    }

    private List<Finding> trigger(Deployment deployment, String functionArn) {
        List<LambdaFunctionConfiguration> triggers = s3.getBucketNotificationConfiguration(r -> r.bucket(deployment.bucket()))
                .lambdaFunctionConfigurations().stream()
                .filter(c -> c.lambdaFunctionArn().equals(functionArn) || c.lambdaFunctionArn().startsWith(functionArn + ":")).toList();
        if (triggers.isEmpty()) {
            return List.of(Finding.fail("s3 trigger", "bucket " + deployment.bucket() + " does not notify " + functionArn
                    + ": uploads are not transcribed; redeploy the stack (the AudioUploaded event)"));
        }
        List<Finding> findings = new ArrayList<>();
        Set<String> prefixes = new LinkedHashSet<>();
        triggers.forEach(t -> prefixes.add(prefix(t)));
        boolean created = triggers.stream().allMatch(t -> t.eventsAsStrings().stream().anyMatch(e -> e.startsWith("s3:ObjectCreated:")));
        if (prefixes.equals(Set.of(deployment.uploadPrefix())) && created) {
            findings.add(Finding.pass("s3 trigger", "s3://" + deployment.bucket() + "/" + deployment.uploadPrefix() + " "
                    + triggers.get(0).eventsAsStrings() + " -> " + triggers.get(0).lambdaFunctionArn()));
        } else {
            findings.add(Finding.fail("s3 trigger", "the trigger of " + functionArn + " filters " + prefixes + " on "
                    + triggers.stream().flatMap(t -> t.eventsAsStrings().stream()).toList() + ", expected the upload prefix '"
                    + deployment.uploadPrefix() + "' on s3:ObjectCreated:*"));
        }
        List<String> loops = prefixes.stream().filter(p -> deployment.outputPrefix().startsWith(p)).toList();
        findings.add(loops.isEmpty()
                ? Finding.pass("output cannot trigger", "transcripts under " + deployment.outputPrefix() + " match no trigger prefix " + prefixes)
                : Finding.fail("output cannot trigger", "transcripts under " + deployment.outputPrefix() + " match the trigger prefix "
                        + loops + ": every transcript would start a new transcription (a loop)",
                        "give InputPrefix and OutputPrefix two different folders and redeploy"));
        return findings;
    }

    private static String prefix(LambdaFunctionConfiguration trigger) {
        if (trigger.filter() == null || trigger.filter().key() == null) {
            return "";
        }
        return trigger.filter().key().filterRules().stream().filter(r -> "prefix".equalsIgnoreCase(r.nameAsString()))
                .map(FilterRule::value).findFirst().orElse("");
    }

    private Finding concurrency(String function) {
        Integer reserved = lambda.getFunctionConcurrency(r -> r.functionName(function)).reservedConcurrentExecutions();
        String limit = "Deepgram's limit " + deepgramLimit + " (" + limitSource + ")";
        if (reserved == null) {
            return Finding.fail("reserved concurrency", "none: a burst of uploads runs unbounded and meets 429s; " + limit,
                    "deploy with TranscribeReservedConcurrency below " + deepgramLimit);
        }
        if (reserved > deepgramLimit) {
            return Finding.fail("reserved concurrency", reserved + ", above " + limit,
                    "deploy with TranscribeReservedConcurrency below " + deepgramLimit + ", or pass your plan's limit");
        }
        if (reserved == deepgramLimit) {
            return Finding.warn("reserved concurrency", reserved + ", equal to " + limit,
                    "no headroom for the health canary's deep check or other clients of the Deepgram project");
        }
        return Finding.pass("reserved concurrency", reserved + ", below " + limit);
    }

    private Finding onFailureDestination(String function, String queueArn) {
        try {
            var config = lambda.getFunctionEventInvokeConfig(r -> r.functionName(function).qualifier("$LATEST"));
            String destination = config.destinationConfig() == null || config.destinationConfig().onFailure() == null
                    ? null : config.destinationConfig().onFailure().destination();
            if (queueArn.equals(destination)) {
                return Finding.pass("on-failure destination", "-> " + queueArn + " after " + config.maximumRetryAttempts()
                        + " retry, events kept " + config.maximumEventAgeInSeconds() + " s");
            }
            return Finding.fail("on-failure destination", "failed uploads go to " + (destination == null ? "nowhere" : destination)
                    + ", not the failure queue " + queueArn + ": they would be lost; redeploy the stack");
        } catch (ResourceNotFoundException e) {
            return Finding.fail("on-failure destination", "no asynchronous invocation config: failed uploads are dropped after"
                    + " Lambda's retries; redeploy the stack (EventInvokeConfig)");
        }
    }

    private Finding failureQueue(DeployedStack stack) {
        int waiting = new FailureQueue(sqs, stack.deployment().failureQueueUrl().orElseThrow()).depth();
        if (waiting == 0) {
            return Finding.pass("failure queue", "empty");
        }
        return Finding.warn("failure queue", waiting + " failed upload(s) waiting: see them with deepgram-lambda redrive --stack-name "
                + stack.name() + ", replay them with --apply once the cause is fixed");
    }

    private Finding logRetention(DeployedStack stack) {
        List<String> groups = stack.physicalIdsOfType("AWS::Logs::LogGroup");
        if (groups.isEmpty()) {
            return Finding.fail("log retention", "the stack owns no log group: Lambda creates them on first use with no expiry");
        }
        List<String> kept = new ArrayList<>();
        List<String> forever = new ArrayList<>();
        for (String group : groups) {
            Optional<LogGroup> found = logs.describeLogGroupsPaginator(r -> r.logGroupNamePrefix(group)).logGroups().stream()
                    .filter(g -> g.logGroupName().equals(group)).findFirst();
            Integer days = found.map(LogGroup::retentionInDays).orElse(null);
            (days == null ? forever : kept).add(group + (days == null ? (found.isEmpty() ? " (missing)" : "") : " " + days + " d"));
        }
        return forever.isEmpty()
                ? Finding.pass("log retention", String.join(", ", kept))
                : Finding.fail("log retention", "kept forever: " + String.join(", ", forever)
                        + ": aws logs put-retention-policy --log-group-name NAME --retention-in-days " + stack.parameter("LogRetentionDays").orElse("30"));
    }
}
