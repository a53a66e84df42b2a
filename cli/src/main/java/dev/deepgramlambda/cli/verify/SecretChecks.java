package dev.deepgramlambda.cli.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepgramlambda.cli.stack.Deployment;
import dev.deepgramlambda.secrets.DeepgramCredentials;
import dev.deepgramlambda.secrets.SecretFormatException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * The Deepgram secret holds a usable key that does not expire soon, rotation runs when it is on, and
 * the admin key's secret is readable by the rotation function alone. No secret value is ever printed:
 * the evidence names fields and dates only.
 */
final class SecretChecks {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SecretsManagerClient secrets;
    private final LambdaClient lambda;
    private final Clock clock;
    /** From the alarms template's Thresholds (ApiKeyExpiry.WarningDays): the day the expiry alarm warns. */
    private final double warningDays;

    SecretChecks(SecretsManagerClient secrets, LambdaClient lambda, Clock clock, AlarmContract contract) {
        this.secrets = secrets;
        this.lambda = lambda;
        this.clock = clock;
        this.warningDays = contract.threshold("ApiKeyExpiry", "WarningDays");
    }

    List<Finding> check(DeployedStack stack) {
        List<Finding> findings = new ArrayList<>();
        Optional<String> secretArn = stack.output(DeployedStack.SECRET_ARN).filter(arn -> !arn.isBlank());
        if (secretArn.isEmpty()) {
            findings.add(Finding.fail("secret", "the stack has no output " + DeployedStack.SECRET_ARN));
            return findings;
        }
        findings.add(secret(secretArn.get()));
        findings.addAll(rotation(stack, secretArn.get()));
        return findings;
    }

    private Finding secret(String arn) {
        String value;
        try {
            value = secrets.getSecretValue(r -> r.secretId(arn)).secretString();
        } catch (ResourceNotFoundException e) {
            return Finding.fail("secret", arn + " holds no value (the stack creates it empty)",
                    "put the key in: aws secretsmanager put-secret-value --secret-id " + arn + " --secret-string '{\"apiKey\":\"...\"}'");
        }
        DeepgramCredentials credentials;
        try {
            credentials = DeepgramCredentials.parse(value);
        } catch (SecretFormatException e) {
            return Finding.fail("secret", arn + ": " + e.getMessage(),
                    "it must be a bare key or JSON {\"apiKey\": ..., \"expiresAt\": ...} (docs/deploy.md)");
        }
        String fields = "holds an API key" + credentials.fallbackApiKey().map(k -> " and a fallback key").orElse("")
                + credentials.keyId().map(id -> " (key id " + id + ")").orElse("");
        if (credentials.expiresAt().isEmpty()) {
            return Finding.pass("secret", fields + "; no expiresAt recorded, so its expiry is not known here");
        }
        Instant expiresAt = credentials.expiresAt().get();
        long daysLeft = Duration.between(clock.instant(), expiresAt).toDays();
        String expiry = "expires " + expiresAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + " (" + daysLeft + " days left)";
        if (daysLeft < warningDays) {
            return Finding.fail("secret", fields + "; " + expiry + ", within the " + (long) warningDays + "-day warning",
                    "rotate it now: aws secretsmanager rotate-secret --secret-id " + arn + ", or put a new key in");
        }
        return Finding.pass("secret", fields + "; " + expiry);
    }

    private List<Finding> rotation(DeployedStack stack, String secretArn) {
        if (!"true".equals(stack.parameter("EnableKeyRotation").orElse("false"))) {
            return List.of(Finding.warn("key rotation", "off (EnableKeyRotation=false): the key is never replaced before it expires",
                    "turn it on once both secrets hold their keys (docs/key-rotation.md)"));
        }
        Optional<String> function = stack.physicalId(DeployedStack.KEY_ROTATION_FUNCTION);
        if (function.isEmpty()) {
            return List.of(Finding.fail("key rotation", "the stack has no " + DeployedStack.KEY_ROTATION_FUNCTION));
        }
        var configuration = lambda.getFunctionConfiguration(r -> r.functionName(function.get()));
        List<Finding> findings = new ArrayList<>();
        DescribeSecretResponse described = secrets.describeSecret(r -> r.secretId(secretArn));
        // Rotation invokes the alias the template publishes (the SnapStart version), as every event source does.
        String alias = configuration.functionArn() + ":" + Deployment.ALIAS;
        if (Boolean.TRUE.equals(described.rotationEnabled()) && alias.equals(described.rotationLambdaARN())) {
            String every = described.rotationRules() == null ? "" : Optional.ofNullable(described.rotationRules().scheduleExpression())
                    .orElse(described.rotationRules().automaticallyAfterDays() + " days");
            findings.add(Finding.pass("key rotation", "scheduled (" + every + ") by " + function.get() + ":" + Deployment.ALIAS));
        } else {
            findings.add(Finding.fail("key rotation", "EnableKeyRotation=true but the secret's rotation is "
                    + (Boolean.TRUE.equals(described.rotationEnabled()) ? "done by " + described.rotationLambdaARN() : "not enabled"),
                    "redeploy the stack so it creates KeyRotationSchedule"));
        }
        findings.add(adminSecretPolicy(stack, configuration.role()));
        return findings;
    }

    /** The admin secret's resource policy denies GetSecretValue to every principal but the rotation function's role. */
    private Finding adminSecretPolicy(DeployedStack stack, String rotationRoleArn) {
        Optional<String> adminArn = stack.output(DeployedStack.ADMIN_SECRET_ARN);
        if (adminArn.isEmpty()) {
            return Finding.fail("admin secret", "the stack has no output " + DeployedStack.ADMIN_SECRET_ARN);
        }
        String policy = secrets.getResourcePolicy(r -> r.secretId(adminArn.get())).resourcePolicy();
        try {
            if (policy != null && deniesAllBut(JSON.readTree(policy), rotationRoleArn)) {
                return Finding.pass("admin secret", "readable only by " + rotationRoleArn.substring(rotationRoleArn.lastIndexOf('/') + 1)
                        + " (resource policy denies GetSecretValue to every other principal)");
            }
        } catch (IOException e) {
            return Finding.fail("admin secret", "its resource policy is not JSON: " + e.getMessage());
        }
        return Finding.fail("admin secret", adminArn.get() + " is not limited to the rotation function's role " + rotationRoleArn,
                policy == null ? "it has no resource policy" : "its resource policy has no Deny of GetSecretValue for other principals",
                "redeploy the stack so it creates DeepgramAdminSecretPolicy");
    }

    private static boolean deniesAllBut(JsonNode policy, String roleArn) {
        for (JsonNode statement : policy.path("Statement")) {
            JsonNode action = statement.path("Action");
            boolean getsValue = action.isArray() ? action.toString().contains("secretsmanager:GetSecretValue")
                    : action.asText().equals("secretsmanager:GetSecretValue") || action.asText().equals("secretsmanager:*");
            if ("Deny".equals(statement.path("Effect").asText()) && getsValue
                    && roleArn.equals(statement.path("Condition").path("StringNotEquals").path("aws:PrincipalArn").asText())) {
                return true;
            }
        }
        return false;
    }
}
