package dev.deepgramlambda.rotation.versions;

import java.time.Instant;
import java.util.Optional;

/**
 * What a rotation writes into the version it creates, under {@code "rotation"} in the secret JSON,
 * so that later rotations know which key this one replaced and when.
 *
 * @param token the ClientRequestToken, i.e. this version's id
 * @param createdAt when the key of this version was created
 * @param replacesVersionId the version that was AWSCURRENT when this one was created
 * @param replacesKeyId the Deepgram key id of that version, when the secret recorded it
 */
public record RotationRecord(String token, Instant createdAt, String replacesVersionId, Optional<String> replacesKeyId) {}
