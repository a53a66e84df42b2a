package dev.deepgramlambda.rotation.versions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepgramlambda.secrets.DeepgramCredentials;
import dev.deepgramlambda.secrets.SecretFormatException;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * One version of the transcription secret: the credentials the transcription function reads
 * (parsed by core's {@link DeepgramCredentials}, so both sides agree on the format) plus the rotation's
 * own record. Fields this class does not know are carried into the next version unchanged.
 */
public final class StoredSecret {
    static final String ROTATION = "rotation";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DeepgramCredentials credentials;
    /** The parsed JSON, or an empty object for a bare key string. */
    private final ObjectNode fields;

    private StoredSecret(DeepgramCredentials credentials, ObjectNode fields) {
        this.credentials = credentials;
        this.fields = fields;
    }

    /** @throws SecretFormatException naming what is wrong, never quoting the secret */
    public static StoredSecret parse(String secretString) {
        DeepgramCredentials credentials = DeepgramCredentials.parse(secretString);
        ObjectNode fields = JSON.createObjectNode();
        if (secretString.trim().startsWith("{")) {
            try {
                fields = (ObjectNode) JSON.readTree(secretString);
            } catch (IOException | ClassCastException e) {
                throw new SecretFormatException("the secret is not a JSON object");
            }
        }
        return new StoredSecret(credentials, fields);
    }

    public DeepgramCredentials credentials() {
        return credentials;
    }

    /** Present when a rotation wrote this version. */
    public Optional<RotationRecord> rotation() {
        JsonNode node = fields.path(ROTATION);
        if (!node.isObject()) {
            return Optional.empty();
        }
        String token = text(node, "token");
        String createdAt = text(node, "createdAt");
        String replaces = text(node, "replacesVersionId");
        if (token == null || createdAt == null || replaces == null) {
            throw new SecretFormatException("\"rotation\" needs \"token\", \"createdAt\" and \"replacesVersionId\"");
        }
        try {
            return Optional.of(new RotationRecord(token, Instant.parse(createdAt), replaces,
                    Optional.ofNullable(text(node, "replacesKeyId"))));
        } catch (DateTimeParseException e) {
            throw new SecretFormatException("\"rotation.createdAt\" is not an ISO-8601 instant: " + createdAt);
        }
    }

    /**
     * The JSON of the version that replaces this one: the new key and its identity, this version's
     * other fields (the fallback key above all) carried over, and the rotation record.
     */
    public String successor(String apiKey, String keyId, String projectId, Instant expiresAt, RotationRecord record) {
        ObjectNode next = fields.deepCopy();
        next.put("apiKey", apiKey);
        next.put("keyId", keyId);
        next.put("projectId", projectId);
        next.put("expiresAt", expiresAt.toString());
        ObjectNode rotation = next.putObject(ROTATION);
        rotation.put("token", record.token());
        rotation.put("createdAt", record.createdAt().toString());
        rotation.put("replacesVersionId", record.replacesVersionId());
        record.replacesKeyId().ifPresent(id -> rotation.put("replacesKeyId", id));
        return next.toString();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    @Override
    public String toString() {
        return "StoredSecret[" + credentials + "]";
    }
}
