package dev.deepgramlambda.rotation;

import dev.deepgramlambda.deepgram.ApiKey;
import dev.deepgramlambda.rotation.keys.DeepgramKeyAdmin;
import dev.deepgramlambda.rotation.versions.SecretVersions;
import dev.deepgramlambda.secrets.DeepgramCredentials;
import dev.deepgramlambda.secrets.SecretFormatException;
import java.util.Optional;

/**
 * The administration key, in its own secret (a bare key or {@code {"apiKey", "projectId"}}) that
 * only this function may read. Read afresh by every step that needs it: rotation is rare, and an
 * admin key an operator replaced takes effect at once.
 */
final class AdminSecret {
    /** The admin key and the project whose keys it manages. */
    record Access(ApiKey key, String projectId) {}

    private final SecretVersions versions;
    private final String secretId;
    private final DeepgramKeyAdmin keys;

    AdminSecret(SecretVersions versions, String secretId, DeepgramKeyAdmin keys) {
        this.versions = versions;
        this.secretId = secretId;
        this.keys = keys;
    }

    /**
     * @param projectId the project the transcription secret names, if it names one; else the admin
     *                  secret's, else the admin key's only project
     */
    Access access(Optional<String> projectId) {
        DeepgramCredentials admin;
        try {
            admin = DeepgramCredentials.parse(versions.currentValue(secretId));
        } catch (SecretFormatException e) {
            throw new RotationException("admin secret " + secretId + ": " + e.getMessage(), e);
        }
        ApiKey key = new ApiKey(admin.apiKey(), ApiKey.Slot.PRIMARY);
        return new Access(key, projectId.or(admin::projectId).orElseGet(() -> keys.soleProjectId(key)));
    }
}
