package dev.deepgramlambda.cli.verify;

import dev.deepgramlambda.cli.aws.AwsTarget;
import dev.deepgramlambda.cli.smoke.HealthCheck;
import dev.deepgramlambda.cli.stack.Deployment;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Reads a deployed stack from CloudFormation, then each of its resources, and judges every item of
 * the go-live checklist. An item that cannot be read fails with AWS's reason; the others still run.
 */
final class StackVerifier {
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(10);

    private final AwsTarget aws;
    private final int deepgramLimit;
    private final String limitSource;
    private final Clock clock;
    private final AlarmContract contract = AlarmContract.bundled();

    StackVerifier(AwsTarget aws, int deepgramLimit, String limitSource, Clock clock) {
        this.aws = aws;
        this.deepgramLimit = deepgramLimit;
        this.limitSource = limitSource;
        this.clock = clock;
    }

    List<Finding> verify(String stackName) {
        DeployedStack stack;
        try {
            stack = DeployedStack.read(aws, stackName);
        } catch (Deployment.UnusableException e) {
            return List.of(Finding.fail("stack", e.getMessage()));
        }
        List<Finding> findings = new ArrayList<>();
        findings.add(stack.status().endsWith("_COMPLETE") && !stack.status().contains("ROLLBACK") && !stack.status().startsWith("DELETE")
                ? Finding.pass("stack", stack.status() + ", " + stack.resources().size() + " resources")
                : Finding.fail("stack", stack.status() + ": the last deployment did not complete; see its events in the console"));
        try (CloudWatchClient cloudWatch = aws.client(CloudWatchClient.builder());
             SnsClient sns = aws.client(SnsClient.builder());
             SecretsManagerClient secrets = aws.client(SecretsManagerClient.builder());
             LambdaClient lambda = aws.client(LambdaClient.builder());
             S3Client s3 = aws.s3();
             SqsClient sqs = aws.client(SqsClient.builder());
             CloudWatchLogsClient logs = aws.client(CloudWatchLogsClient.builder());
             EventBridgeClient events = aws.client(EventBridgeClient.builder())) {
            run("alarms", stack, new AlarmCheck(cloudWatch, contract)::check, findings);
            run("alert topics", stack, new AlertTopicCheck(sns)::check, findings);
            run("secret", stack, new SecretChecks(secrets, lambda, clock, contract)::check, findings);
            run("transcribe function", stack, new FunctionChecks(lambda, s3, sqs, logs, deepgramLimit, limitSource)::check, findings);
            run("callback sweep", stack, new SweepCheck(lambda, events)::check, findings);
            run("health", stack, new HealthChecks(new HealthCheck(aws, HEALTH_TIMEOUT), cloudWatch, clock, contract)::check, findings);
        }
        return findings;
    }

    private static void run(String area, DeployedStack stack, Function<DeployedStack, List<Finding>> check, List<Finding> findings) {
        try {
            findings.addAll(check.apply(stack));
        } catch (SdkException | IllegalStateException e) {
            findings.add(Finding.fail(area, "could not be read: " + e.getMessage()));
        }
    }
}
