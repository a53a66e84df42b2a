package dev.deepgramlambda.rotation.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepgramlambda.deepgram.ApiKey;
import dev.deepgramlambda.deepgram.DeepgramClient;
import dev.deepgramlambda.deepgram.DeepgramException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Deepgram's key management API, one plain request per call through core's
 * {@link DeepgramClient#send}. The admin key (keys:read and keys:write) authenticates everything
 * here except {@link #check}, which uses the key under test.
 */
public final class DeepgramKeyAdmin {
    /** Deepgram ids are UUIDs; anything else must not be pasted into a request path. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DeepgramClient client;
    private final Duration timeout;

    public DeepgramKeyAdmin(DeepgramClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    /** {@code POST /v1/projects/{project}/keys}; the answer is the only time Deepgram shows the key. */
    public CreatedKey create(ApiKey admin, String projectId, KeyRequest request) {
        ObjectNode body = JSON.createObjectNode();
        body.put("comment", request.comment());
        ArrayNode scopes = body.putArray("scopes");
        request.scopes().forEach(scopes::add);
        ArrayNode tags = body.putArray("tags");
        request.tags().forEach(tags::add);
        body.put("expiration_date", request.expiresAt().toString());
        JsonNode answer = asAdmin("POST", keysPath(projectId), body, admin);
        String keyId = answer.path("api_key_id").asText("");
        String secret = answer.path("key").asText("");
        if (keyId.isBlank() || secret.isBlank()) {
            throw new IllegalStateException("Deepgram answered the key creation without \"api_key_id\" and \"key\"");
        }
        return new CreatedKey(keyId, secret, expiry(answer.path("expiration_date").asText(""), request.expiresAt()));
    }

    /** {@code GET /v1/projects/{project}/keys}: the project's keys, without their secrets. */
    public List<KeySummary> list(ApiKey admin, String projectId) {
        JsonNode answer = asAdmin("GET", keysPath(projectId), null, admin);
        List<KeySummary> keys = new ArrayList<>();
        for (JsonNode item : answer.path("api_keys")) {
            JsonNode key = item.path("api_key");
            keys.add(new KeySummary(key.path("api_key_id").asText(""), key.path("comment").asText("")));
        }
        return keys;
    }

    /**
     * {@code DELETE /v1/projects/{project}/keys/{key}}.
     *
     * @return true when this call revoked the key, false when Deepgram no longer knows it (404)
     */
    public boolean delete(ApiKey admin, String projectId, String keyId) {
        try {
            asAdmin("DELETE", keysPath(projectId) + "/" + checkedId("keyId", keyId), null, admin);
            return true;
        } catch (DeepgramException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** The admin key's only project, for secrets that do not name one; fails when there are several. */
    public String soleProjectId(ApiKey admin) {
        JsonNode projects = asAdmin("GET", "/v1/projects", null, admin).path("projects");
        if (projects.size() != 1) {
            throw new IllegalStateException("the admin key sees " + projects.size()
                    + " Deepgram projects; put \"projectId\" into the admin or the transcription secret");
        }
        return checkedId("projectId", projects.get(0).path("project_id").asText(""));
    }

    /**
     * Whether Deepgram accepts {@code key} for transcription, without transcribing (nothing billed):
     * {@code POST /v1/listen} with an empty JSON object. Deepgram authenticates and authorises
     * before it reads the body, so 401 means the key is invalid, 403 that it may not transcribe
     * (no {@code usage:write}), and the 400 for the missing audio that the key got through both.
     *
     * @throws DeepgramException for anything else (5xx, timeout): the key's state is unknown
     */
    public KeyCheck check(ApiKey key) {
        try {
            client.send("POST", "/v1/listen", JSON.createObjectNode(), key, timeout);
            return KeyCheck.ACCEPTED;
        } catch (DeepgramException e) {
            return switch (e.status()) {
                case 400 -> KeyCheck.ACCEPTED;
                case 401 -> KeyCheck.INVALID;
                case 403 -> KeyCheck.NOT_ALLOWED_TO_TRANSCRIBE;
                default -> throw e;
            };
        }
    }

    /** A 403 here means the admin secret holds the wrong key: say so instead of passing Deepgram's generic text on. */
    private JsonNode asAdmin(String method, String path, JsonNode body, ApiKey admin) {
        try {
            return client.send(method, path, body, admin, timeout);
        } catch (DeepgramException e) {
            if (e.status() == 403) {
                throw new IllegalStateException("Deepgram refuses the admin key for " + method + " " + path
                        + " (403): it needs keys:read and keys:write (and project:read when no secret names the project)", e);
            }
            throw e;
        }
    }

    private static String keysPath(String projectId) {
        return "/v1/projects/" + checkedId("projectId", projectId) + "/keys";
    }

    private static String checkedId(String what, String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException(what + " '" + id + "' is not a Deepgram id (letters, digits, '-', '_', '.')");
        }
        return id;
    }

    /** Deepgram's own expiry when it states one, else the one requested. */
    private static Instant expiry(String stated, Instant requested) {
        try {
            return stated.isBlank() ? requested : OffsetDateTime.parse(stated).toInstant();
        } catch (DateTimeParseException e) {
            return requested;
        }
    }
}
