package dev.deepgramlambda.cli.verify;

import dev.deepgramlambda.cli.aws.FailureQueue;
import dev.deepgramlambda.cli.stack.Deployment;
import dev.deepgramlambda.config.Settings;
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
 * TranscribeFunction's wiring: both S3 triggers, their prefixes and the alias they target, reserved
 * concurrency against the admission limit and that against Deepgram's, the on-failure destination and what waits in it, and log retention.
 */
final class FunctionChecks {
    /** The admission limit as the function reads it (the template's DeepgramMaxConcurrency). */
    static final String ADMISSION_LIMIT = Settings.DEEPGRAM_MAX_CONCURRENCY.name();
    private static final String RESULTS = "results/";
    /** Folders of the callback prefix holding job state: the function writes them, no trigger may match them. */
    private static final List<String> JOB_STATE = List.of("pending/", "slots/", "queue/");

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
        List<Finding> findings = new ArrayList<>(triggers(stack.deployment(), function.functionArn()));
        findings.addAll(concurrency(function));
        String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(stack.deployment().failureQueueUrl().orElseThrow())
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        findings.add(onFailureDestination(name.get(), queueArn));
        findings.add(failureQueue(stack));
        findings.add(logRetention(stack));
        return findings;
    }

    /**
     * Both S3 triggers (uploads; Deepgram's callback results) target the alias, and nothing the function
     * writes (transcripts, callback job state) matches a trigger's prefix.
     */
    private List<Finding> triggers(Deployment deployment, String functionArn) {
        List<LambdaFunctionConfiguration> triggers = s3.getBucketNotificationConfiguration(r -> r.bucket(deployment.bucket()))
                .lambdaFunctionConfigurations().stream()
                .filter(c -> c.lambdaFunctionArn().equals(functionArn) || c.lambdaFunctionArn().startsWith(functionArn + ":")).toList();
        if (triggers.isEmpty()) {
            return List.of(Finding.fail("s3 trigger", "bucket " + deployment.bucket() + " does not notify " + functionArn
                    + ": uploads are not transcribed; redeploy the stack (the AudioUploaded event)"));
        }
        String alias = functionArn + ":" + Deployment.ALIAS;
        List<Finding> findings = new ArrayList<>();
        findings.add(trigger("s3 trigger", deployment, triggers, deployment.uploadPrefix(), alias, "uploads are not transcribed", "AudioUploaded"));
        Optional<String> results = deployment.callbackResultsPrefix();
        results.ifPresentOrElse(
                prefix -> findings.add(trigger("callback trigger", deployment, triggers, prefix, alias,
                        "Deepgram's callback results never complete their jobs", "CallbackResultArrived")),
                () -> findings.add(Finding.fail("callback trigger", "the stack has no output " + Deployment.CALLBACK_RESULTS_PREFIX
                        + ": it was deployed from a template without callback delivery; redeploy the stack")));
        Set<String> prefixes = new LinkedHashSet<>();
        triggers.forEach(t -> prefixes.add(prefix(t)));
        List<String> written = new ArrayList<>(List.of(deployment.outputPrefix()));
        results.map(r -> r.substring(0, r.length() - RESULTS.length()))
                .ifPresent(callback -> JOB_STATE.forEach(folder -> written.add(callback + folder)));
        List<String> loops = written.stream()
                .filter(w -> prefixes.stream().anyMatch(w::startsWith)).toList();
        findings.add(loops.isEmpty()
                ? Finding.pass("output cannot trigger", "what the function writes, under " + written + ", matches no trigger prefix " + prefixes)
                : Finding.fail("output cannot trigger", "the function writes under " + loops + ", which match the trigger prefixes "
                        + prefixes + ": every transcript or job record would start a new invocation (a loop)",
                        "give InputPrefix, OutputPrefix and CallbackPrefix three different folders and redeploy"));
        return findings;
    }

    /** The one trigger on {@code prefix}: ObjectCreated events, to the alias. */
    private static Finding trigger(String item, Deployment deployment, List<LambdaFunctionConfiguration> triggers, String prefix,
                                   String alias, String without, String event) {
        String where = "s3://" + deployment.bucket() + "/" + prefix;
        List<LambdaFunctionConfiguration> onPrefix = triggers.stream().filter(t -> prefix(t).equals(prefix)).toList();
        if (onPrefix.isEmpty()) {
            return Finding.fail(item, "no trigger on " + where + " (triggers filter " + triggers.stream().map(FunctionChecks::prefix).toList()
                    + "): " + without + "; redeploy the stack (the " + event + " event)");
        }
        LambdaFunctionConfiguration trigger = onPrefix.get(0);
        if (!trigger.lambdaFunctionArn().equals(alias)) {
            return Finding.fail(item, where + " notifies " + trigger.lambdaFunctionArn() + ", not the alias " + alias
                    + ": events run an unpublished version, without SnapStart; redeploy the stack (AutoPublishAlias " + Deployment.ALIAS + ")");
        }
        if (trigger.eventsAsStrings().stream().noneMatch(e -> e.startsWith("s3:ObjectCreated:"))) {
            return Finding.fail(item, where + " notifies on " + trigger.eventsAsStrings() + ", expected s3:ObjectCreated:*: " + without);
        }
        return Finding.pass(item, where + " " + trigger.eventsAsStrings() + " -> " + trigger.lambdaFunctionArn());
    }

    private static String prefix(LambdaFunctionConfiguration trigger) {
        if (trigger.filter() == null || trigger.filter().key() == null) {
            return "";
        }
        return trigger.filter().key().filterRules().stream().filter(r -> "prefix".equalsIgnoreCase(r.nameAsString()))
                .map(FilterRule::value).findFirst().orElse("");
    }

    /**
     * Reserved concurrency at or below the admission limit the function enforces (DEEPGRAM_MAX_CONCURRENCY,
     * from the template's DeepgramMaxConcurrency), and that limit at or below Deepgram's for the plan.
     */
    private List<Finding> concurrency(GetFunctionConfigurationResponse function) {
        Integer reserved = lambda.getFunctionConcurrency(r -> r.functionName(function.functionName())).reservedConcurrentExecutions();
        String configured = function.environment() == null ? null : function.environment().variables().get(ADMISSION_LIMIT);
        if (configured == null || !configured.matches("\\d{1,6}")) {
            return List.of(Finding.fail("admission limit", ADMISSION_LIMIT + " is " + (configured == null ? "not set" : "'" + configured + "'")
                    + ": the function was deployed from a template without admission control; redeploy the stack"));
        }
        int admission = Integer.parseInt(configured);
        String admissionLimit = "the admission limit " + admission + " (DeepgramMaxConcurrency)";
        Finding reservedFinding;
        if (reserved == null) {
            reservedFinding = Finding.fail("reserved concurrency", "none: a burst of uploads runs unbounded; " + admissionLimit,
                    "deploy with TranscribeReservedConcurrency at or below " + admission);
        } else if (reserved > admission) {
            reservedFinding = Finding.fail("reserved concurrency", reserved + ", above " + admissionLimit
                    + ": in sync delivery more invocations than slots would wait on Deepgram",
                    "deploy with TranscribeReservedConcurrency at or below " + admission);
        } else {
            reservedFinding = Finding.pass("reserved concurrency", reserved + ", at or below " + admissionLimit);
        }
        String deepgram = "Deepgram's limit " + deepgramLimit + " (" + limitSource + ")";
        Finding admissionFinding = admission > deepgramLimit
                ? Finding.fail("admission limit", admission + ", above " + deepgram + ": bursts meet 429s",
                        "deploy with DeepgramMaxConcurrency at or below " + deepgramLimit + ", or pass your plan's limit")
                : Finding.pass("admission limit", admission + ", at or below " + deepgram);
        return List.of(reservedFinding, admissionFinding);
    }

    private Finding onFailureDestination(String function, String queueArn) {
        try {
            var config = lambda.getFunctionEventInvokeConfig(r -> r.functionName(function).qualifier(Deployment.ALIAS));
            String destination = config.destinationConfig() == null || config.destinationConfig().onFailure() == null
                    ? null : config.destinationConfig().onFailure().destination();
            if (queueArn.equals(destination)) {
                return Finding.pass("on-failure destination", "-> " + queueArn + " after " + config.maximumRetryAttempts()
                        + " retry, events kept " + config.maximumEventAgeInSeconds() + " s");
            }
            return Finding.fail("on-failure destination", "failed uploads go to " + (destination == null ? "nowhere" : destination)
                    + ", not the failure queue " + queueArn + ": they would be lost; redeploy the stack");
        } catch (ResourceNotFoundException e) {
            return Finding.fail("on-failure destination", "no asynchronous invocation config on the alias " + Deployment.ALIAS
                    + ": failed uploads are dropped after"
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
