package dev.deepgramlambda.rotation.versions;

import java.util.Optional;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * The versions of one Secrets Manager secret and their staging labels: the only Secrets Manager
 * calls the rotation makes. Secret values pass through as strings; nothing here logs them.
 */
public final class SecretVersions {
    public static final String CURRENT = "AWSCURRENT";
    public static final String PENDING = "AWSPENDING";
    public static final String PREVIOUS = "AWSPREVIOUS";

    private final SecretsManagerClient client;

    public SecretVersions(SecretsManagerClient client) {
        this.client = client;
    }

    public SecretState describe(String secretId) {
        DescribeSecretResponse described = client.describeSecret(b -> b.secretId(secretId));
        return new SecretState(
                described.arn(),
                Boolean.TRUE.equals(described.rotationEnabled()),
                described.deletedDate() != null,
                described.versionIdsToStages());
    }

    /**
     * The value of {@code versionId}, which must carry {@code stage}; empty when that version has no
     * value yet, as the AWSPENDING version Secrets Manager stages before createSecret runs.
     */
    public Optional<String> value(String secretId, String versionId, String stage) {
        try {
            return Optional.ofNullable(client.getSecretValue(b -> b.secretId(secretId).versionId(versionId).versionStage(stage))
                    .secretString());
        } catch (ResourceNotFoundException noValue) {
            return Optional.empty();
        }
    }

    /** Any secret's AWSCURRENT value, e.g. the admin key's secret. */
    public String currentValue(String secretId) {
        return client.getSecretValue(b -> b.secretId(secretId).versionStage(CURRENT)).secretString();
    }

    /** Stores {@code value} as version {@code token} labelled AWSPENDING; the same call again is a no-op. */
    public void putPending(String secretId, String token, String value) {
        client.putSecretValue(b -> b.secretId(secretId).clientRequestToken(token).secretString(value).versionStages(PENDING));
    }

    /** Moves AWSCURRENT; Secrets Manager moves AWSPREVIOUS to the version it came from. */
    public void moveCurrent(String secretId, String fromVersionId, String toVersionId) {
        client.updateSecretVersionStage(b -> b.secretId(secretId).versionStage(CURRENT)
                .removeFromVersionId(fromVersionId).moveToVersionId(toVersionId));
    }

    /**
     * Takes AWSPENDING off a promoted version. A label left behind would make the next RotateSecret
     * (or an emulator) believe a rotation is still in progress.
     */
    public void removePending(String secretId, String versionId) {
        client.updateSecretVersionStage(b -> b.secretId(secretId).versionStage(PENDING).removeFromVersionId(versionId));
    }
}
