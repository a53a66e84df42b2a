package dev.deepgramlambda.rotation;

import dev.deepgramlambda.logging.JsonLog;
import dev.deepgramlambda.rotation.keys.DeepgramKeyAdmin;
import dev.deepgramlambda.rotation.versions.RotationRecord;
import dev.deepgramlambda.rotation.versions.SecretVersions;
import dev.deepgramlambda.rotation.versions.StoredSecret;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Deletes old keys without breaking anyone who still holds one.
 *
 * <p>Policy: the key that was just replaced stays valid (it is AWSPREVIOUS, so warm containers
 * that cached it keep working and a rollback to AWSPREVIOUS still works). It is deleted by the
 * <em>next</em> rotation's finishSecret, when it is two generations back, and only if it was replaced
 * at least {@code OLD_KEY_GRACE_HOURS} ago. A key kept because of the grace period, or one whose
 * deletion failed, is not tried again: it expires on its own ({@code KEY_TTL_DAYS}).
 *
 * <p>The chain is read from the secret itself: the AWSPREVIOUS version's rotation record names
 * the key it replaced ({@code replacesKeyId}) and when ({@code createdAt}).
 */
final class OldKeyRetirement {
    /** What happened to the key two generations back. */
    enum Outcome { NONE, KEPT, RETIRED, FAILED }

    private final SecretVersions versions;
    private final AdminSecret admin;
    private final DeepgramKeyAdmin keys;
    private final Duration grace;
    private final Clock clock;

    OldKeyRetirement(SecretVersions versions, AdminSecret admin, DeepgramKeyAdmin keys, Duration grace, Clock clock) {
        this.versions = versions;
        this.admin = admin;
        this.keys = keys;
        this.grace = grace;
        this.clock = clock;
    }

    /**
     * Never throws: the new key is already current, and a key left behind only lives until it expires.
     *
     * @param previousVersionId the AWSPREVIOUS version, i.e. the one the new key just replaced
     * @param currentKeyId the new current key, which must survive whatever the records say
     */
    Outcome retireBefore(String secretId, String previousVersionId, Optional<String> currentKeyId, JsonLog log) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("previousVersionId", previousVersionId);
        try {
            Optional<StoredSecret> previous = versions.value(secretId, previousVersionId, SecretVersions.PREVIOUS).map(StoredSecret::parse);
            Optional<RotationRecord> record = previous.flatMap(StoredSecret::rotation);
            if (record.isEmpty()) {
                log.info("No old key to retire: the previous version was not written by a rotation", fields);
                return Outcome.NONE;
            }
            fields.put("replacedVersionId", record.get().replacesVersionId());
            Optional<String> oldKeyId = record.get().replacesKeyId();
            if (oldKeyId.isEmpty()) {
                log.warn("The key two rotations back is not identified in the secret (no keyId); delete it in the Deepgram console", fields);
                return Outcome.NONE;
            }
            fields.put("oldKeyId", oldKeyId.get());
            if (oldKeyId.equals(currentKeyId) || oldKeyId.equals(previous.get().credentials().keyId())) {
                log.warn("Not retiring a key that is still current or previous", fields);
                return Outcome.NONE;
            }
            Duration replacedFor = Duration.between(record.get().createdAt(), clock.instant());
            fields.put("replacedHoursAgo", replacedFor.toHours());
            if (replacedFor.compareTo(grace) < 0) {
                fields.put("graceHours", grace.toHours());
                log.info("Keeping the old key: replaced less than OLD_KEY_GRACE_HOURS ago; it expires on its own", fields);
                return Outcome.KEPT;
            }
            String projectId = previous.get().credentials().projectId().orElse(null);
            AdminSecret.Access access = admin.access(Optional.ofNullable(projectId));
            boolean revoked = keys.delete(access.key(), access.projectId(), oldKeyId.get());
            log.info(revoked ? "Deleted the key two rotations back" : "The key two rotations back was already deleted", fields);
            return Outcome.RETIRED;
        } catch (RuntimeException e) {
            fields.put("error", e.getClass().getSimpleName());
            fields.put("reason", String.valueOf(e.getMessage()));
            log.error("Could not retire the old key; it stays valid until it expires", fields);
            return Outcome.FAILED;
        }
    }
}
