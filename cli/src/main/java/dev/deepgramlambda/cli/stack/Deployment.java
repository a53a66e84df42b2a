package dev.deepgramlambda.cli.stack;

import dev.deepgramlambda.cli.aws.AwsTarget;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/**
 * A deployed stack as its CloudFormation outputs describe it. The output names below are the only
 * place the CLI names them; the SAM template must export them under exactly these names.
 */
public record Deployment(String stackName, Map<String, String> outputs) {
    /** The audio bucket's name. */
    public static final String AUDIO_BUCKET_NAME = "AudioBucketName";
    /** Where uploads go to be transcribed, e.g. {@code incoming/}. */
    public static final String UPLOAD_PREFIX = "UploadPrefix";
    /** Where the function writes transcripts and error records, e.g. {@code transcripts/}. */
    public static final String OUTPUT_PREFIX = "TranscriptPrefix";
    /** The health endpoint (a Function URL, possibly with IAM auth). */
    public static final String HEALTH_URL = "HealthUrl";
    /** The SQS queue of TranscribeFunction's OnFailure destination. */
    public static final String FAILURE_QUEUE_URL = "FailureQueueUrl";
    /** Where Deepgram writes callback results, e.g. {@code deepgram-callbacks/results/} (the completion trigger's prefix). */
    public static final String CALLBACK_RESULTS_PREFIX = "CallbackResultsPrefix";
    /** The transcription function's logical ID in the template (a team contract, like the outputs). */
    public static final String TRANSCRIBE_FUNCTION = "TranscribeFunction";
    /** The sweep's logical ID: admits waiting uploads and handles callback results that never came. */
    public static final String CALLBACK_SWEEP_FUNCTION = "CallbackSweepFunction";
    /**
     * The alias every function is published under (the template's AutoPublishAlias, for SnapStart):
     * events go to it, never to $LATEST, which is not snapshotted.
     */
    public static final String ALIAS = "live";

    /** The stack cannot be used: not found, or missing outputs. The message says which and why. */
    public static final class UnusableException extends Exception {
        UnusableException(String message) {
            super(message);
        }
    }

    public Deployment {
        outputs = Map.copyOf(outputs);
    }

    /** Reads {@code stackName}'s outputs; every name in {@code required} must be among them. */
    public static Deployment read(AwsTarget aws, String stackName, List<String> required) throws UnusableException {
        return of(stackName, fetchStack(aws, stackName), required);
    }

    /** The stack as CloudFormation describes it (one DescribeStacks call), for callers that need more than its outputs. */
    public static Stack fetchStack(AwsTarget aws, String stackName) throws UnusableException {
        try (CloudFormationClient cloudFormation = aws.client(CloudFormationClient.builder())) {
            return cloudFormation.describeStacks(r -> r.stackName(stackName)).stacks().get(0);
        } catch (CloudFormationException e) {
            if (e.statusCode() == 400 && String.valueOf(e.awsErrorDetails().errorMessage()).contains("does not exist")) {
                throw new UnusableException("stack '" + stackName + "' not found in " + aws.describe()
                        + ": check the name and --region (sam deploy prints both)");
            }
            throw e;
        }
    }

    /** {@code stack}'s outputs, as read for {@code stackName}; every name in {@code required} must be among them. */
    public static Deployment of(String stackName, Stack stack, List<String> required) throws UnusableException {
        Map<String, String> outputs = new LinkedHashMap<>();
        for (Output output : stack.outputs()) {
            outputs.put(output.outputKey(), output.outputValue());
        }
        List<String> missing = required.stream().filter(name -> !outputs.containsKey(name)).toList();
        if (!missing.isEmpty()) {
            throw new UnusableException("stack '" + stackName + "' (" + stack.stackStatusAsString() + ") has no output "
                    + String.join(", ", missing) + "; it has " + (outputs.isEmpty() ? "none" : String.join(", ", outputs.keySet()))
                    + ". The template must export " + String.join(", ", required) + " under these names.");
        }
        for (String prefix : List.of(UPLOAD_PREFIX, OUTPUT_PREFIX, CALLBACK_RESULTS_PREFIX)) {
            if (outputs.containsKey(prefix)) {
                outputs.put(prefix, keyPrefix(prefix, outputs.get(prefix), outputs.get(AUDIO_BUCKET_NAME)));
            }
        }
        return new Deployment(stackName, outputs);
    }

    /** A prefix output as a key prefix: {@code incoming/} as it is, or {@code s3://bucket/incoming/} in the audio bucket. */
    private static String keyPrefix(String name, String value, String bucket) throws UnusableException {
        if (!value.startsWith("s3://")) {
            return value;
        }
        String bucketPart = "s3://" + bucket + "/";
        if (bucket == null || !value.startsWith(bucketPart)) {
            throw new UnusableException("output " + name + " is " + value + ", which is not in the audio bucket " + bucket);
        }
        return value.substring(bucketPart.length());
    }

    /** The physical name of one of the stack's resources, e.g. the function behind {@link #TRANSCRIBE_FUNCTION}. */
    public static String physicalId(AwsTarget aws, String stackName, String logicalId) {
        try (CloudFormationClient cloudFormation = aws.client(CloudFormationClient.builder())) {
            return cloudFormation.describeStackResource(r -> r.stackName(stackName).logicalResourceId(logicalId))
                    .stackResourceDetail().physicalResourceId();
        }
    }

    public String bucket() {
        return outputs.get(AUDIO_BUCKET_NAME);
    }

    public String uploadPrefix() {
        return outputs.get(UPLOAD_PREFIX);
    }

    public String outputPrefix() {
        return outputs.get(OUTPUT_PREFIX);
    }

    public String healthUrl() {
        return outputs.get(HEALTH_URL);
    }

    /** Absent for a stack deployed from a template without callback delivery. */
    public Optional<String> callbackResultsPrefix() {
        return Optional.ofNullable(outputs.get(CALLBACK_RESULTS_PREFIX));
    }

    public Optional<String> failureQueueUrl() {
        return Optional.ofNullable(outputs.get(FAILURE_QUEUE_URL));
    }
}
