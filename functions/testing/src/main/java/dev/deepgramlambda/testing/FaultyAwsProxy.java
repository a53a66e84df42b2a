package dev.deepgramlambda.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;

/**
 * An AWS endpoint on loopback that passes every call through to moto, except the operations told
 * to fail: those get AWS's 500 {@code InternalServiceError}, on every attempt the SDK makes, either
 * instead of the call or after moto has carried it out (a commit whose answer was lost). This is
 * how a test gets an AWS failure in the middle of a rotation step or a transcription.
 *
 * <p>Operations are named as in AWS's API reference: Secrets Manager's from its {@code X-Amz-Target}
 * header ({@code PutSecretValue}), S3's from the REST method ({@code GetObject}, {@code HeadObject},
 * {@code PutObject}, {@code DeleteObject}).
 */
public final class FaultyAwsProxy implements AutoCloseable {
    private static final Set<String> HOP_BY_HOP = Set.of("host", "content-length", "connection", "accept-encoding");

    private final MockWebServer server;
    private final OkHttpClient http = new OkHttpClient();
    private final Map<String, MockResponse> failing = new ConcurrentHashMap<>();
    /** Operation -> part of the request path a failure is limited to (S3 faults for one object). */
    private final Map<String, String> failingObjects = new ConcurrentHashMap<>();
    private final Set<String> failingAfterCommit = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> injected = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failNext = new ConcurrentHashMap<>();
    /** Operation -> part of the request path whose next call is carried out, then answered with a 500. */
    private final Map<String, String> loseNextAnswer = new ConcurrentHashMap<>();
    /** Operation -> what happens between moto carrying out its next call on a path and the caller hearing of it. */
    private final Map<String, Meanwhile> meanwhile = new ConcurrentHashMap<>();
    private final URI moto;

    public FaultyAwsProxy(URI moto) {
        this.moto = moto;
        this.server = LoopbackServer.serving(this::answer);
    }

    private MockResponse answer(RecordedRequest request) {
        String operation = operation(request);
        MockResponse fault = failing.get(operation);
        if (fault != null && request.getTarget().contains(failingObjects.getOrDefault(operation, ""))) {
            return injected(operation, fault);
        }
        AtomicInteger left = failNext.get(operation);
        if (left != null && left.getAndDecrement() > 0) {
            return injected(operation, internalError());
        }
        MockResponse response = forward(request);
        Meanwhile next = meanwhile.get(operation);
        if (next != null && request.getTarget().contains(next.keyPart()) && meanwhile.remove(operation, next)) {
            next.action().run();
        }
        String lost = loseNextAnswer.get(operation);
        boolean answerLost = lost != null && request.getTarget().contains(lost) && loseNextAnswer.remove(operation, lost);
        return failingAfterCommit.contains(operation) || answerLost ? injected(operation, internalError()) : response;
    }

    private MockResponse injected(String operation, MockResponse fault) {
        injected.computeIfAbsent(operation, o -> new AtomicInteger()).incrementAndGet();
        return fault;
    }

    /** What to put in AWS_ENDPOINT_URL. */
    public Map<String, String> environment() {
        return Map.of("AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL", server.url("/").toString());
    }

    /** From now on, every call of {@code operation} (e.g. {@code PutSecretValue}) fails. */
    public void fail(String operation) {
        failing.put(operation, internalError());
    }

    /**
     * From now on, every call of the S3 {@code operation} on an object whose key contains
     * {@code keyPart} is answered with S3's XML error {@code code}; other objects are served.
     */
    public void failS3(String operation, String keyPart, int status, String code, String message) {
        failingObjects.put(operation, keyPart);
        failing.put(operation, new MockResponse.Builder().code(status).setHeader("Content-Type", "application/xml")
                .body("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                        + "</Message><RequestId>injected</RequestId></Error>").build());
    }

    /** The next {@code times} calls of {@code operation} fail with a 500, as in a brief outage. */
    public void failNext(String operation, int times) {
        failNext.put(operation, new AtomicInteger(times));
    }

    /** From now on, every call of {@code operation} is carried out by moto, then answered with a 500. */
    public void failAfterCommit(String operation) {
        failingAfterCommit.add(operation);
    }

    /**
     * The next call of {@code operation} on a path containing {@code keyPart} is carried out by moto,
     * then answered with a 500: S3's answer lost on the way back, so the SDK sends the request again.
     */
    public void loseNextAnswer(String operation, String keyPart) {
        loseNextAnswer.put(operation, keyPart);
    }

    private record Meanwhile(String keyPart, Runnable action) {}

    /**
     * The next call of {@code operation} on a path containing {@code keyPart} is carried out by moto,
     * then {@code action} runs before the answer goes back: another writer acting between the
     * caller's read and its next request, at exactly that point.
     */
    public void meanwhileAfterNext(String operation, String keyPart, Runnable action) {
        meanwhile.put(operation, new Meanwhile(keyPart, action));
    }

    public void heal() {
        failing.clear();
        failingObjects.clear();
        failingAfterCommit.clear();
        failNext.clear();
        loseNextAnswer.clear();
        meanwhile.clear();
    }

    /** How many answers to {@code operation} were replaced by an error. */
    public int injectedFaults(String operation) {
        AtomicInteger count = injected.get(operation);
        return count == null ? 0 : count.get();
    }

    /** Secrets Manager's JSON protocol names the operation in X-Amz-Target; S3's REST API by method. */
    private static String operation(RecordedRequest request) {
        String target = request.getHeaders().get("X-Amz-Target");
        if (target != null) {
            return target.substring(target.indexOf('.') + 1);
        }
        return switch (request.getMethod()) {
            case "GET" -> "GetObject";
            case "HEAD" -> "HeadObject";
            case "PUT" -> "PutObject";
            case "DELETE" -> "DeleteObject";
            default -> request.getMethod();
        };
    }

    private static MockResponse internalError() {
        return new MockResponse.Builder().code(500)
                .setHeader("Content-Type", "application/x-amz-json-1.1")
                .body("{\"__type\":\"InternalServiceError\",\"message\":\"An error occurred on the server side.\"}")
                .build();
    }

    private MockResponse forward(RecordedRequest request) {
        Request.Builder forwarded = new Request.Builder().url(moto.resolve(request.getTarget()).toString());
        request.getHeaders().forEach(h -> {
            if (!HOP_BY_HOP.contains(h.getFirst().toLowerCase(java.util.Locale.ROOT))) {
                forwarded.addHeader(h.getFirst(), h.getSecond());
            }
        });
        String contentType = request.getHeaders().get("Content-Type");
        RequestBody body = request.getBody() == null ? null
                : RequestBody.create(request.getBody(), contentType == null ? null : MediaType.parse(contentType));
        forwarded.method(request.getMethod(), body);
        try (Response response = http.newCall(forwarded.build()).execute()) {
            MockResponse.Builder answer = new MockResponse.Builder().code(response.code());
            response.headers().forEach(h -> {
                if (!HOP_BY_HOP.contains(h.getFirst().toLowerCase(java.util.Locale.ROOT))) {
                    answer.addHeader(h.getFirst(), h.getSecond());
                }
            });
            if ("HEAD".equals(request.getMethod())) {
                // A HEAD answer has no body; its Content-Length is the object's size and must pass through.
                String length = response.header("Content-Length");
                return (length == null ? answer : answer.setHeader("Content-Length", length)).build();
            }
            return answer.body(new Buffer().write(response.body().bytes())).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
