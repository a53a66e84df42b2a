package dev.deepgramlambda.rotation;

import static dev.deepgramlambda.rotation.versions.SecretVersions.CURRENT;
import static dev.deepgramlambda.rotation.versions.SecretVersions.PENDING;
import static dev.deepgramlambda.rotation.versions.SecretVersions.PREVIOUS;

import dev.deepgramlambda.deepgram.ApiKey;
import dev.deepgramlambda.logging.JsonLog;
import dev.deepgramlambda.rotation.keys.CreatedKey;
import dev.deepgramlambda.rotation.keys.DeepgramKeyAdmin;
import dev.deepgramlambda.rotation.keys.KeyCheck;
import dev.deepgramlambda.rotation.keys.KeyRequest;
import dev.deepgramlambda.rotation.keys.KeySummary;
import dev.deepgramlambda.rotation.versions.RotationRecord;
import dev.deepgramlambda.rotation.versions.SecretState;
import dev.deepgramlambda.rotation.versions.SecretVersions;
import dev.deepgramlambda.rotation.versions.StoredSecret;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Secrets Manager's rotation contract for the Deepgram key. Every step first checks the request
 * against the secret's labels, and every step may run again with the same token and end in the
 * same state. No step touches AWSCURRENT except finishSecret's single label move.
 *
 * <p>No key is left without a record: createSecret names the token in each key's comment, and
 * once the token's version holds a key it revokes every other key whose comment names the token
 * (one an earlier or concurrent attempt created but did not store). When storing the new key
 * fails, the version is read back first: a key that is stored is never revoked.
 */
final class KeyRotation {
    private final RotationConfig config;
    private final SecretVersions versions;
    private final DeepgramKeyAdmin keys;
    private final AdminSecret admin;
    private final OldKeyRetirement retirement;
    private final String serviceName;
    private final Clock clock;

    KeyRotation(RotationConfig config, SecretVersions versions, DeepgramKeyAdmin keys, String serviceName, Clock clock) {
        this.config = config;
        this.versions = versions;
        this.keys = keys;
        this.admin = new AdminSecret(versions, config.adminSecretId(), keys);
        this.retirement = new OldKeyRetirement(versions, admin, keys, config.oldKeyGrace(), clock);
        this.serviceName = serviceName;
        this.clock = clock;
    }

    StepResult run(RotationRequest request, JsonLog log) {
        SecretState state = versions.describe(request.secretId());
        List<String> stages = checkAgainst(state, request);
        if (stages.contains(CURRENT)) {
            return request.step() == RotationRequest.Step.FINISH_SECRET
                    ? finishedBefore(request, state, log)
                    : StepResult.done("version is already AWSCURRENT; nothing to do");
        }
        return switch (request.step()) {
            case CREATE_SECRET -> createSecret(request, state, log);
            case SET_SECRET -> StepResult.done("nothing to set: a Deepgram key is active from its creation");
            case TEST_SECRET -> testSecret(request);
            case FINISH_SECRET -> finishSecret(request, state, log);
        };
    }

    /** The checks of AWS's rotation templates, plus a secret scheduled for deletion. */
    private static List<String> checkAgainst(SecretState state, RotationRequest request) {
        if (state.deleted()) {
            throw new RotationException("secret " + state.arn() + " is scheduled for deletion; restore it before rotating");
        }
        if (!state.rotationEnabled()) {
            throw new RotationException("rotation is not enabled for secret " + state.arn());
        }
        List<String> stages = state.stagesOf(request.token()).orElseThrow(() -> new RotationException(
                "secret " + state.arn() + " has no version " + request.token()
                        + ": this ClientRequestToken does not belong to a rotation Secrets Manager started"));
        if (!stages.contains(CURRENT) && !stages.contains(PENDING)) {
            throw new RotationException("version " + request.token() + " is not AWSPENDING (labels " + stages
                    + "): a newer rotation has replaced it");
        }
        return stages;
    }

    private StepResult createSecret(RotationRequest request, SecretState state, JsonLog log) {
        String secretId = request.secretId();
        String token = request.token();
        String currentVersionId = currentVersion(state);
        StoredSecret current = StoredSecret.parse(versions.value(secretId, currentVersionId, CURRENT)
                .orElseThrow(() -> new RotationException("AWSCURRENT version " + currentVersionId + " has no value")));
        AdminSecret.Access access = admin.access(current.credentials().projectId());
        Optional<String> alreadyStored = storedKeyId(secretId, token);
        if (alreadyStored.isPresent()) {
            revokeUnrecordedKeys(access, token, alreadyStored.get(), log);
            return StepResult.done("AWSPENDING already holds this rotation's key");
        }

        Instant now = clock.instant();
        CreatedKey key = keys.create(access.key(), access.projectId(), new KeyRequest(
                serviceName + " transcription key, created by key rotation " + token,
                config.scopes(), List.of(serviceName), now.plus(config.keyTtl())));
        log.info("Created a Deepgram key", Map.of("keyId", key.keyId(), "projectId", access.projectId(),
                "expiresAt", key.expiresAt().toString(), "scopes", config.scopes()));
        RotationRecord record = new RotationRecord(token, now, currentVersionId, current.credentials().keyId());
        String stored;
        try {
            versions.putPending(secretId, token,
                    current.successor(key.secret(), key.keyId(), access.projectId(), key.expiresAt(), record));
            stored = key.keyId();
        } catch (RuntimeException storeFailed) {
            stored = afterFailedStore(access, secretId, token, key, storeFailed, log);
        }
        // Only now, with this token's version settled, is a key naming the token and not stored an orphan.
        // Sweeping before storing could revoke the key a concurrent run with the same token is about to store.
        revokeUnrecordedKeys(access, token, stored, log);
        return StepResult.done(stored.equals(key.keyId()) ? "new key " + key.keyId() + " stored as AWSPENDING"
                : "a concurrent run stored key " + stored + " as AWSPENDING; this run's key was revoked");
    }

    /**
     * A failed PutSecretValue may have committed with only its answer lost, or a concurrent run with
     * the same token may have stored its own key first. So the token's version is read back before
     * anything is revoked: revoking the key that is stored would make every later testSecret fail.
     *
     * @return the id of the key the token's version holds
     * @throws RuntimeException {@code storeFailed} when nothing is stored (this run's key revoked), or
     *     when the read-back fails too (then nothing is revoked: the next attempt's sweep settles it)
     */
    private String afterFailedStore(AdminSecret.Access access, String secretId, String token, CreatedKey key,
                                    RuntimeException storeFailed, JsonLog log) {
        Optional<String> stored;
        try {
            stored = storedKeyId(secretId, token);
        } catch (RuntimeException readBackFailed) {
            log.error("Storing the new key failed and reading the version back did too; not revoking a key that may be stored",
                    Map.of("keyId", key.keyId(), "reason", String.valueOf(readBackFailed.getMessage())));
            throw storeFailed;
        }
        if (stored.isPresent() && stored.get().equals(key.keyId())) {
            log.warn("PutSecretValue reported a failure but the key was stored; keeping it", Map.of("keyId", key.keyId()));
            return key.keyId();
        }
        revokeAfterFailedStore(access, key, log);
        return stored.orElseThrow(() -> storeFailed);
    }

    private Optional<String> storedKeyId(String secretId, String token) {
        return versions.value(secretId, token, PENDING).map(value -> StoredSecret.parse(value).credentials().keyId().orElse(""));
    }

    /** Keys a run with this token created but did not store: nobody can use them. */
    private void revokeUnrecordedKeys(AdminSecret.Access access, String token, String storedKeyId, JsonLog log) {
        for (KeySummary key : keys.list(access.key(), access.projectId())) {
            if (key.comment().contains(token) && !key.keyId().equals(storedKeyId)) {
                keys.delete(access.key(), access.projectId(), key.keyId());
                log.warn("Revoked a key a run of this rotation created but did not store", Map.of("keyId", key.keyId()));
            }
        }
    }

    private void revokeAfterFailedStore(AdminSecret.Access access, CreatedKey key, JsonLog log) {
        try {
            keys.delete(access.key(), access.projectId(), key.keyId());
            log.warn("Storing the new key failed; revoked it", Map.of("keyId", key.keyId()));
        } catch (RuntimeException revokeFailed) {
            log.error("Storing the new key failed and so did revoking it; the next attempt with this token revokes it",
                    Map.of("keyId", key.keyId(), "reason", String.valueOf(revokeFailed.getMessage())));
        }
    }

    private StepResult testSecret(RotationRequest request) {
        StoredSecret pending = pendingSecret(request);
        String keyId = pending.credentials().keyId().orElse("?");
        KeyCheck check = keys.check(new ApiKey(pending.credentials().apiKey(), ApiKey.Slot.PRIMARY));
        return switch (check) {
            case ACCEPTED -> StepResult.done("Deepgram accepts pending key " + keyId + " for transcription");
            case INVALID -> throw new RotationException("Deepgram rejects pending key " + keyId
                    + " (401): it was revoked or never became valid; AWSCURRENT is unchanged");
            case NOT_ALLOWED_TO_TRANSCRIBE -> throw new RotationException("pending key " + keyId
                    + " may not transcribe (403): KEY_SCOPES must include usage:write; AWSCURRENT is unchanged");
        };
    }

    private StepResult finishSecret(RotationRequest request, SecretState state, JsonLog log) {
        String secretId = request.secretId();
        StoredSecret pending = pendingSecret(request);
        String currentVersionId = currentVersion(state);
        Optional<RotationRecord> record = pending.rotation();
        // The pending key was built from the version current at createSecret (its fallback key above
        // all); if someone has put another value since, promoting would silently undo their change.
        if (record.isPresent() && !record.get().replacesVersionId().equals(currentVersionId)) {
            throw new RotationException("AWSCURRENT changed during this rotation (from " + record.get().replacesVersionId()
                    + " to " + currentVersionId + "); not overwriting it. Start a new rotation.");
        }
        versions.moveCurrent(secretId, currentVersionId, request.token());
        versions.removePending(secretId, request.token());
        log.info("Promoted the new key to AWSCURRENT", Map.of("keyId", pending.credentials().keyId().orElse("?"),
                "previousVersionId", currentVersionId));
        OldKeyRetirement.Outcome retired = retirement.retireBefore(secretId, currentVersionId, pending.credentials().keyId(), log);
        return new StepResult("version " + request.token() + " is AWSCURRENT", true, retired);
    }

    /** finishSecret again after it succeeded: finish what a crash may have cut short. */
    private StepResult finishedBefore(RotationRequest request, SecretState state, JsonLog log) {
        if (state.stagesOf(request.token()).orElse(List.of()).contains(PENDING)) {
            versions.removePending(request.secretId(), request.token());
        }
        OldKeyRetirement.Outcome retired = state.versionWith(PREVIOUS)
                .map(previous -> retirement.retireBefore(request.secretId(), previous, currentKeyId(request), log))
                .orElse(OldKeyRetirement.Outcome.NONE);
        return new StepResult("version " + request.token() + " was already AWSCURRENT", false, retired);
    }

    private Optional<String> currentKeyId(RotationRequest request) {
        return versions.value(request.secretId(), request.token(), CURRENT)
                .map(StoredSecret::parse)
                .flatMap(s -> s.credentials().keyId());
    }

    private StoredSecret pendingSecret(RotationRequest request) {
        return StoredSecret.parse(versions.value(request.secretId(), request.token(), PENDING)
                .orElseThrow(() -> new RotationException("AWSPENDING version " + request.token()
                        + " has no value yet: createSecret has not completed")));
    }

    private static String currentVersion(SecretState state) {
        return state.versionWith(CURRENT)
                .orElseThrow(() -> new RotationException("secret " + state.arn() + " has no AWSCURRENT version"));
    }
}
