package dev.deepgramlambda.cli.verify;

import dev.deepgramlambda.cli.aws.AwsTarget;
import dev.deepgramlambda.cli.stack.Deployment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackResourceSummary;

/**
 * What CloudFormation says about the stack: its status, the parameters it was deployed with, its
 * outputs ({@link Deployment}) and its resources by the template's logical id.
 */
record DeployedStack(Deployment deployment, String status, Map<String, String> parameters, Map<String, Resource> resources) {
    static final String KEY_ROTATION_FUNCTION = "KeyRotationFunction";
    // Outputs beyond the ones Deployment names; template.yaml exports them under these names.
    static final String SECRET_ARN = "DeepgramSecretArn";
    static final String ADMIN_SECRET_ARN = "DeepgramAdminSecretArn";

    record Resource(String physicalId, String type) {}

    DeployedStack {
        parameters = Map.copyOf(parameters);
        resources = Map.copyOf(resources);
    }

    static DeployedStack read(AwsTarget aws, String stackName) throws Deployment.UnusableException {
        Stack stack = Deployment.fetchStack(aws, stackName);
        Deployment deployment = Deployment.of(stackName, stack, List.of(Deployment.AUDIO_BUCKET_NAME, Deployment.UPLOAD_PREFIX,
                Deployment.OUTPUT_PREFIX, Deployment.HEALTH_URL, Deployment.FAILURE_QUEUE_URL));
        try (CloudFormationClient cloudFormation = aws.client(CloudFormationClient.builder())) {
            Map<String, String> parameters = new LinkedHashMap<>();
            stack.parameters().forEach(p -> parameters.put(p.parameterKey(), String.valueOf(p.parameterValue())));
            Map<String, Resource> resources = new LinkedHashMap<>();
            for (StackResourceSummary resource : cloudFormation.listStackResourcesPaginator(r -> r.stackName(stackName))
                    .stackResourceSummaries()) {
                if (resource.physicalResourceId() != null && !resource.physicalResourceId().isBlank()) {
                    resources.put(resource.logicalResourceId(), new Resource(resource.physicalResourceId(), resource.resourceType()));
                }
            }
            return new DeployedStack(deployment, stack.stackStatusAsString(), parameters, resources);
        }
    }

    String name() {
        return deployment.stackName();
    }

    Optional<String> physicalId(String logicalId) {
        return Optional.ofNullable(resources.get(logicalId)).map(Resource::physicalId);
    }

    Optional<String> output(String name) {
        return Optional.ofNullable(deployment.outputs().get(name));
    }

    Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name));
    }

    /** The physical ids of the stack's resources of one type, e.g. {@code AWS::Logs::LogGroup}. */
    List<String> physicalIdsOfType(String type) {
        return resources.values().stream().filter(r -> r.type().equals(type)).map(Resource::physicalId).toList();
    }
}
