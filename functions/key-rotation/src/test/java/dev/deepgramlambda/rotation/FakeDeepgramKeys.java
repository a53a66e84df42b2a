package dev.deepgramlambda.rotation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepgramlambda.standin.FakeDeepgram;
import dev.deepgramlambda.testing.LoopbackServer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * Deepgram's key management API on loopback: keys with ids, secrets, scopes, comments and expiry;
 * {@code POST}, {@code GET} (list) and {@code DELETE} on {@code /v1/projects/{id}/keys}; and the
 * authentication every endpoint applies (401 for unknown, revoked or expired keys, 403 when the
 * scope is missing). {@code POST /v1/listen} answers 200 for audio and 400 for anything else, so
 * it shows whether a key may transcribe. Roles imply scopes as Deepgram documents
 * ({@code member} implies {@code keys:read keys:write usage:write project:read ...}).
 */
final class FakeDeepgramKeys implements AutoCloseable {
    static final String PROJECT_ID = "5c1b7a2e-93d4-4f6a-b8e0-1d2c3b4a5f60";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern KEYS = Pattern.compile("/v1/projects/([^/]+)/keys(?:/([^/]+))?");
    private static final Set<String> MEMBER_SCOPES =
            Set.of("project:read", "project:write", "keys:read", "keys:write", "usage:read", "usage:write");

    /** One key as Deepgram stores it. */
    record Key(String id, String secret, String comment, List<String> scopes, Instant expiresAt, boolean active) {
        boolean allows(String scope) {
            return scopes.contains(scope) || scopes.contains("member") && MEMBER_SCOPES.contains(scope);
        }
    }

    /** A canned answer for the next request matching method and path, served instead of the real behaviour. */
    private record Script(String method, Pattern path, MockResponse response, Duration delay) {
        boolean matches(RecordedRequest request) {
            return method.equals(request.getMethod()) && path.matcher(request.getUrl().encodedPath()).matches();
        }
    }

    private final MockWebServer server;
    private final Map<String, Key> keys = new ConcurrentHashMap<>();
    private final List<Script> scripts = new CopyOnWriteArrayList<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final List<String> createdIds = new CopyOnWriteArrayList<>();
    private final Clock clock;

    /** @param clock Deepgram's clock, against which keys expire */
    FakeDeepgramKeys(Clock clock) {
        this.clock = clock;
        this.server = LoopbackServer.serving(request -> {
            requests.add(request);
            return respond(request);
        });
    }

    String baseUrl() {
        return server.url("/").toString().replaceAll("/$", "");
    }

    /** A key made in Deepgram's console; returns its id. */
    String addKey(String secret, String comment, List<String> scopes) {
        String id = UUID.randomUUID().toString();
        keys.put(id, new Key(id, secret, comment, List.copyOf(scopes), null, true));
        return id;
    }

    /** Someone deleted the key in the console. */
    void revoke(String keyId) {
        keys.computeIfPresent(keyId, (id, key) -> new Key(id, key.secret(), key.comment(), key.scopes(), key.expiresAt(), false));
    }

    /** The next {@code method} request on a path matching {@code pathRegex} gets {@code response}. */
    void failNext(String method, String pathRegex, MockResponse response) {
        scripts.add(new Script(method, Pattern.compile(pathRegex), response, null));
    }

    /** The next matching request is carried out, but its answer comes {@code delay} late. */
    void answerLate(String method, String pathRegex, Duration delay) {
        scripts.add(new Script(method, Pattern.compile(pathRegex), null, delay));
    }

    Optional<Key> key(String id) {
        return Optional.ofNullable(keys.get(id));
    }

    Optional<Key> keyWithSecret(String secret) {
        return keys.values().stream().filter(k -> k.secret().equals(secret)).findFirst();
    }

    List<Key> activeKeys() {
        return keys.values().stream().filter(Key::active).toList();
    }

    /** Keys created through the API (not in the console), active or not, in creation order. */
    List<Key> createdKeys() {
        return createdIds.stream().map(keys::get).toList();
    }

    List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    private MockResponse respond(RecordedRequest request) {
        for (Script script : scripts) {
            if (script.matches(request)) {
                scripts.remove(script);
                if (script.response() != null) {
                    return script.response();
                }
                MockResponse real = behave(request);
                return new MockResponse.Builder(real).headersDelay(script.delay().toMillis(), TimeUnit.MILLISECONDS).build();
            }
        }
        return behave(request);
    }

    private MockResponse behave(RecordedRequest request) {
        Optional<Key> caller = authenticated(request);
        if (caller.isEmpty()) {
            return FakeDeepgram.fixture(401, "deepgram/error-401-invalid-auth.docs-example.json");
        }
        String path = request.getUrl().encodedPath();
        String method = request.getMethod();
        if (path.equals("/v1/listen") && method.equals("POST")) {
            return listen(caller.get(), request);
        }
        if (path.equals("/v1/projects") && method.equals("GET")) {
            return caller.get().allows("project:read")
                    ? FakeDeepgram.json(200, "{\"projects\":[{\"project_id\":\"" + PROJECT_ID + "\",\"name\":\"Transcription\"}]}")
                    : forbidden();
        }
        Matcher keysPath = KEYS.matcher(path);
        if (!keysPath.matches()) {
            return FakeDeepgram.json(404, "{\"err_code\":\"NOT_FOUND\",\"err_msg\":\"Not found.\"}");
        }
        if (!PROJECT_ID.equals(keysPath.group(1))) {
            return FakeDeepgram.fixture(404, "deepgram/error-404-project-not-found.docs-example.json");
        }
        String keyId = keysPath.group(2);
        if (keyId == null && method.equals("GET")) {
            return caller.get().allows("keys:read") ? list() : forbidden();
        }
        if (keyId == null && method.equals("POST")) {
            return caller.get().allows("keys:write") ? create(body(request)) : forbidden();
        }
        if (keyId != null && method.equals("DELETE")) {
            return caller.get().allows("keys:write") ? delete(keyId) : forbidden();
        }
        return FakeDeepgram.json(405, "{\"err_code\":\"METHOD_NOT_ALLOWED\",\"err_msg\":\"Method not allowed.\"}");
    }

    private Optional<Key> authenticated(RecordedRequest request) {
        String auth = String.valueOf(request.getHeaders().get("Authorization"));
        if (!auth.startsWith("Token ")) {
            return Optional.empty();
        }
        String secret = auth.substring("Token ".length());
        return keys.values().stream()
                .filter(k -> k.secret().equals(secret) && k.active() && (k.expiresAt() == null || clock.instant().isBefore(k.expiresAt())))
                .findFirst();
    }

    private MockResponse listen(Key caller, RecordedRequest request) {
        if (!caller.allows("usage:write")) {
            return forbidden();
        }
        String contentType = String.valueOf(request.getHeaders().get("Content-Type"));
        if (contentType.startsWith("application/json")) {
            return FakeDeepgram.fixture(400, "deepgram/error-400-invalid-json-modern-shape.docs-example.json");
        }
        boolean wav = request.getBody() != null && request.getBody().size() > 12 && request.getBody().utf8().startsWith("RIFF");
        return wav ? FakeDeepgram.fixture(200, "deepgram/listen-nova3-smartformat-file-preamble.json")
                : FakeDeepgram.fixture(400, "deepgram/error-400-corrupt-or-unsupported-audio.docs-example.json");
    }

    private MockResponse list() {
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode items = answer.putArray("api_keys");
        activeKeys().forEach(key -> {
            ObjectNode item = items.addObject();
            item.putObject("member").put("member_id", "member-ops").put("email", "ops@example.com");
            ObjectNode apiKey = item.putObject("api_key");
            apiKey.put("api_key_id", key.id()).put("comment", key.comment()).put("created", "2026-11-01T09:00:00.000Z");
            key.scopes().forEach(apiKey.putArray("scopes")::add);
            if (key.expiresAt() != null) {
                apiKey.put("expiration_date", key.expiresAt().toString());
            }
        });
        return FakeDeepgram.json(200, answer.toString());
    }

    private MockResponse create(JsonNode body) {
        if (!body.path("scopes").isArray() || body.path("scopes").isEmpty() || !body.path("comment").isTextual()) {
            return FakeDeepgram.json(400, "{\"err_code\":\"Bad Request\",\"err_msg\":\"comment and scopes are required\"}");
        }
        Instant expiresAt = body.has("expiration_date")
                ? OffsetDateTime.parse(body.path("expiration_date").asText()).toInstant()
                : clock.instant().plusSeconds(body.path("time_to_live_in_seconds").asLong());
        List<String> scopes = new ArrayList<>();
        body.path("scopes").forEach(s -> scopes.add(s.asText()));
        String id = UUID.randomUUID().toString();
        Key key = new Key(id, "dg-rotated-" + UUID.randomUUID(), body.path("comment").asText(), List.copyOf(scopes), expiresAt, true);
        keys.put(id, key);
        createdIds.add(id);
        ObjectNode answer = JSON.createObjectNode();
        answer.put("api_key_id", id).put("key", key.secret()).put("comment", key.comment())
                .put("created", clock.instant().toString()).put("expiration_date", expiresAt.toString());
        answer.set("scopes", body.path("scopes"));
        answer.set("tags", body.path("tags"));
        return FakeDeepgram.json(200, answer.toString());
    }

    private MockResponse delete(String keyId) {
        Key key = keys.get(keyId);
        if (key == null || !key.active()) {
            return FakeDeepgram.json(404, "{\"err_code\":\"NOT_FOUND\",\"err_msg\":\"API key not found.\"}");
        }
        revoke(keyId);
        return FakeDeepgram.json(200, "{\"message\":\"Successfully deleted the API key!\"}");
    }

    private static MockResponse forbidden() {
        return FakeDeepgram.json(403, "{\"err_code\":\"INSUFFICIENT_PERMISSIONS\",\"err_msg\":\"User does not have sufficient permissions.\"}");
    }

    private static JsonNode body(RecordedRequest request) {
        try {
            return request.getBody() == null ? JSON.createObjectNode() : JSON.readTree(request.getBody().utf8());
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
