package dev.deepgramlambda.rotation.versions;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What DescribeSecret says about a secret: enough to check a rotation request against it.
 *
 * @param stagesByVersion every version id with its staging labels
 */
public record SecretState(String arn, boolean rotationEnabled, boolean deleted, Map<String, List<String>> stagesByVersion) {
    public SecretState {
        stagesByVersion = Map.copyOf(stagesByVersion);
    }

    /** The labels of {@code versionId}, or empty when the secret has no such version. */
    public Optional<List<String>> stagesOf(String versionId) {
        return Optional.ofNullable(stagesByVersion.get(versionId));
    }

    /** The version that carries {@code stage}, if any; a label is on one version at most. */
    public Optional<String> versionWith(String stage) {
        return stagesByVersion.entrySet().stream()
                .filter(e -> e.getValue().contains(stage))
                .map(Map.Entry::getKey)
                .findFirst();
    }
}
