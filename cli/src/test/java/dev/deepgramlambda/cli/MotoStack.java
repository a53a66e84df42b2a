package dev.deepgramlambda.cli;

import dev.deepgramlambda.cli.aws.AwsTarget;
import dev.deepgramlambda.cli.aws.FunctionLogs;
import dev.deepgramlambda.cli.stack.Deployment;
import dev.deepgramlambda.standin.MotoServer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Output;

/**
 * A stack created in moto_server through CloudFormation: a real S3 bucket and SQS queue, and outputs
 * named as the SAM template exports them (the CLI's {@link Deployment} constants), and the log group
 * Lambda would give its TranscribeFunction. It stands in for
 * what {@code sam deploy} creates; the function behind it is played by {@link S3TriggeredFunction}.
 */
record MotoStack(String name, Map<String, String> outputs, String functionLogGroup) {
    /** The outputs of a complete stack; {@code omit} leaves some out, as a broken template would. */
    static MotoStack create(String name, String healthUrl, Set<String> omit) {
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put(Deployment.AUDIO_BUCKET_NAME, "{\"Ref\": \"AudioBucket\"}");
        // as the SAM template exports them: S3 URIs of the prefixes
        outputs.put(Deployment.UPLOAD_PREFIX, "{\"Fn::Sub\": \"s3://${AudioBucket}/incoming/\"}");
        outputs.put(Deployment.OUTPUT_PREFIX, "{\"Fn::Sub\": \"s3://${AudioBucket}/transcripts/\"}");
        outputs.put(Deployment.HEALTH_URL, "{\"Ref\": \"HealthUrl\"}");
        outputs.put(Deployment.FAILURE_QUEUE_URL, "{\"Ref\": \"FailureQueue\"}");
        omit.forEach(outputs::remove);
        // TranscribeFunction is a placeholder (moto cannot run it): the stack needs the resource so the
        // CLI can find the function's log group; S3TriggeredFunction runs the real function.
        StringBuilder template = new StringBuilder("""
                {"Parameters": {"HealthUrl": {"Type": "String"}},
                 "Resources": {
                   "AudioBucket": {"Type": "AWS::S3::Bucket"},
                   "FailureQueue": {"Type": "AWS::SQS::Queue"},
                   "FunctionRole": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Version": "2012-10-17",
                     "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}},
                   "TranscribeFunction": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "python3.12",
                     "Handler": "index.handler", "Role": {"Fn::GetAtt": ["FunctionRole", "Arn"]},
                     "Code": {"ZipFile": "def handler(event, context):\\n    pass\\n"}}}},
                 "Outputs": {""");
        template.append(String.join(",", outputs.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\": {\"Value\": " + e.getValue() + "}").toList()));
        template.append("}}");
        try (CloudFormationClient cloudFormation = AwsTarget.emulator(MotoServer.shared().endpoint()).client(CloudFormationClient.builder())) {
            cloudFormation.createStack(r -> r.stackName(name).templateBody(template.toString())
                    .parameters(p -> p.parameterKey("HealthUrl").parameterValue(healthUrl)));
            Map<String, String> values = new LinkedHashMap<>();
            for (Output output : cloudFormation.describeStacks(r -> r.stackName(name)).stacks().get(0).outputs()) {
                values.put(output.outputKey(), output.outputValue());
            }
            String functionName = cloudFormation.describeStackResource(r -> r.stackName(name)
                    .logicalResourceId(Deployment.TRANSCRIBE_FUNCTION)).stackResourceDetail().physicalResourceId();
            return new MotoStack(name, values, FunctionLogs.defaultLogGroup(functionName));
        }
    }

    String bucket() {
        return outputs.get(Deployment.AUDIO_BUCKET_NAME);
    }

    String failureQueueUrl() {
        return outputs.get(Deployment.FAILURE_QUEUE_URL);
    }

    /** The arguments that point smoke or load at this stack in moto. */
    String[] stackArguments() {
        return new String[] {"--stack-name", name, "--region", MotoServer.REGION, "--endpoint-url", MotoServer.shared().endpoint().toString()};
    }
}
