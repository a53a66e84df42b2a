package dev.deepgramlambda.deepgram;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepgramlambda.logging.JsonLog;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSink;
import okio.BufferedSource;
import okio.Okio;
import okio.Source;

/**
 * Deepgram's REST API over one pooled OkHttp client, built once per container.
 *
 * <p>{@link #listen} is the production path: per attempt a circuit breaker, around it retries with
 * exponential backoff and jitter that honour {@code Retry-After} and never start an attempt that
 * could not finish before the Lambda deadline, and around those the 401 recovery (re-read the
 * secret once, then the fallback key). {@link #send} is a single plain attempt for the management
 * API (health checks, key rotation).
 */
public final class DeepgramClient {
    /** Left for the caller after the last attempt: time to write an error record or throw. */
    static final Duration DEADLINE_RESERVE = Duration.ofSeconds(2);
    /** Below this, with the reserve kept, a request is not sent at all: it could not get an answer. */
    static final Duration MIN_ATTEMPT = Duration.ofSeconds(1);
    /** Error bodies are a few hundred bytes; more is a proxy's HTML page or a misbehaving server. */
    static final long MAX_ERROR_BODY_BYTES = 64 * 1024;
    /**
     * Management answers (projects, keys, balances) and callback acknowledgements are small JSON held
     * in memory; /v1/listen's transcripts are spooled.
     */
    static final long MAX_MANAGEMENT_BODY_BYTES = 4L * 1024 * 1024;
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OkHttpClient http;
    private final DeepgramSettings settings;
    private final CircuitBreaker circuitBreaker;
    private final JsonLog log = JsonLog.named("DeepgramClient");

    /** @param clock times calls (slow-call judgement) and the open circuit's wait; tests move it forward instead of sleeping */
    DeepgramClient(OkHttpClient http, DeepgramSettings settings, Clock clock) {
        this.http = http;
        this.settings = settings;
        this.circuitBreaker = CircuitBreaker.of("deepgram", CircuitBreakerConfig.custom()
                .clock(clock)
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(10)
                .minimumNumberOfCalls(5)
                .failureRateThreshold(50)
                // resilience4j's defaults call anything over 60 s "slow" and open on 100 % slow calls,
                // which fails healthy long transcriptions when DEEPGRAM_TIMEOUT_SECONDS is above 60.
                // An attempt cannot outlast the request timeout, so past it no answered call is slow:
                // a Deepgram too slow to answer at all counts as TIMEOUT failures instead.
                .slowCallDurationThreshold(settings.requestTimeout().plus(MIN_ATTEMPT))
                .slowCallRateThreshold(100)
                .currentTimestampFunction(Clock::millis, TimeUnit.MILLISECONDS)
                .waitDurationInOpenState(settings.circuitOpenDuration())
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordException(e -> effectOf(e) == DeepgramException.CircuitEffect.FAILURE)
                .ignoreException(e -> effectOf(e) == DeepgramException.CircuitEffect.IGNORED)
                .build());
    }

    private static DeepgramException.CircuitEffect effectOf(Throwable e) {
        return e instanceof DeepgramException d ? d.circuitEffect() : DeepgramException.CircuitEffect.SUCCESS;
    }

    public static DeepgramClient create(DeepgramSettings settings) {
        return create(settings, Clock.systemUTC());
    }

    static DeepgramClient create(DeepgramSettings settings, Clock clock) {
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.requestTimeout())
                .writeTimeout(settings.requestTimeout())
                // Deepgram bills every request it receives. OkHttp would silently resend a POST after
                // some connection failures and follow redirects on its own; then Deepgram sees requests
                // that no retry budget, metric or error record counts. Every request is one of our attempts.
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .followSslRedirects(false)
                // Lambda freezes idle containers; a few kept-alive connections are all a warm container reuses.
                .connectionPool(new ConnectionPool(4, 2, TimeUnit.MINUTES))
                .build();
        return new DeepgramClient(http, settings, clock);
    }

    /**
     * Closes every idle pooled connection. After a SnapStart restore a pooled socket would be one
     * that every environment resumed from the same snapshot believes it owns, and that the server
     * closed long ago.
     */
    public void closeIdleConnections() {
        http.connectionPool().evictAll();
    }

    /** Per-container circuit state, exposed for logs and tests: CLOSED, OPEN or HALF_OPEN. */
    public CircuitBreaker.State circuitState() {
        return circuitBreaker.getState();
    }

    /**
     * Transcribes pre-recorded audio.
     *
     * @param stats filled in with attempts, rate-limit hits and the key slot, also when this throws
     * @throws DeepgramException when every permitted attempt failed, or the first failure cannot be retried
     */
    public ListenResponse listen(ListenRequest request, ApiKeys keys, Deadline deadline, CallStats stats) {
        return callListen(request, Optional.empty(), keys, deadline, stats,
                body -> ListenResponse.read(body.byteStream(), body.contentLength()));
    }

    /**
     * Submits pre-recorded audio for callback delivery: Deepgram answers at once with a request id
     * and later sends the result with {@code PUT} to {@code callbackUrl}, e.g. a presigned S3 PUT
     * URL. The submission has the same retries, circuit breaker and key recovery as {@link #listen}.
     * The URL is a credential: it is never logged.
     *
     * @return Deepgram's {@code request_id} for the job
     * @throws DeepgramException as {@link #listen} does, or when the answer carries no request id
     */
    public String submit(ListenRequest request, String callbackUrl, ApiKeys keys, Deadline deadline, CallStats stats) {
        JsonNode requestId = callListen(request, Optional.of(callbackUrl), keys, deadline, stats, DeepgramClient::readAcknowledgement)
                .path("request_id");
        if (!requestId.isTextual() || requestId.asText().isBlank()) {
            throw DeepgramException.transport(DeepgramException.Kind.SERVER_ERROR,
                    "Deepgram accepted the callback job without a request_id", null);
        }
        return requestId.asText();
    }

    /**
     * One request to any Deepgram endpoint, e.g. {@code GET /v1/projects}: no retries, no circuit
     * breaker (a health check must see Deepgram itself), {@code timeout} for the whole call.
     *
     * @param body JSON body, or null for none
     */
    public JsonNode send(String method, String path, JsonNode body, ApiKey key, Duration timeout) {
        // Appended, not replaced: a self-hosted Deepgram may live under a path of its base URL.
        HttpUrl url = settings.baseUrl().newBuilder().addEncodedPathSegments(path.replaceFirst("^/", "")).build();
        RequestBody requestBody = body == null ? null : RequestBody.create(body.toString(), JSON_TYPE);
        Request request = authorized(new Request.Builder().url(url).method(method, requestBody), key).build();
        String responseBody = execute(request, timeout, false, false, null, key, DeepgramClient::readManagementAnswer);
        try {
            return responseBody.isBlank() ? JSON.createObjectNode() : JSON.readTree(responseBody);
        } catch (IOException e) {
            throw DeepgramException.transport(DeepgramException.Kind.SERVER_ERROR, "response is not JSON", e);
        }
    }

    /**
     * {@link #send} with the same key recovery as {@link #listen}: after a 401 the secret is read
     * again once, then the fallback key is tried. {@code stats} records which key slot answered, so
     * a caller such as the health canary can tell that only the fallback key still works.
     */
    public JsonNode send(String method, String path, JsonNode body, ApiKeys keys, Duration timeout, CallStats stats) {
        return withKeyRecovery(keys, key -> {
            stats.attemptStarted(key.slot());
            return send(method, path, body, key, timeout);
        });
    }

    /** {@code /v1/listen} with key recovery around retries around the circuit breaker around each attempt. */
    private <T> T callListen(ListenRequest request, Optional<String> callbackUrl, ApiKeys keys, Deadline deadline, CallStats stats,
                             SuccessReader<T> success) {
        return withKeyRecovery(keys, key -> withRetries(deadline, stats,
                () -> circuitBreaker.executeSupplier(() -> listenOnce(request, callbackUrl, key, deadline, stats, success))));
    }

    private <T> T withKeyRecovery(ApiKeys keys, Function<ApiKey, T> call) {
        ApiKey key = keys.current();
        try {
            return call.apply(key);
        } catch (DeepgramException rejected) {
            if (rejected.kind() != DeepgramException.Kind.UNAUTHORIZED) {
                throw rejected;
            }
            Optional<ApiKey> renewed = keys.renewAfterRejection(key);
            if (renewed.isPresent()) {
                try {
                    return call.apply(renewed.get());
                } catch (DeepgramException stillRejected) {
                    if (stillRejected.kind() != DeepgramException.Kind.UNAUTHORIZED) {
                        throw stillRejected;
                    }
                    keys.stillRejected(renewed.get());
                }
            }
            Optional<ApiKey> fallback = keys.fallback().filter(spare -> !spare.sameValueAs(key));
            if (fallback.isEmpty()) {
                throw rejected;
            }
            log.warn("Deepgram rejected the primary key (401); using the fallback key", Map.of("keySlot", "fallback"));
            return call.apply(fallback.get());
        }
    }

    private <T> T withRetries(Deadline deadline, CallStats stats, Supplier<T> attempt) {
        RetryBudget budget = new RetryBudget(settings, deadline, stats);
        Retry retry = Retry.of("deepgram", RetryConfig.custom()
                .maxAttempts(settings.maxAttempts())
                .retryOnException(budget::allowsRetryAfter)
                .intervalBiFunction((attempts, failure) -> budget.nextWaitMillis())
                .build());
        return retry.executeSupplier(() -> {
            try {
                return attempt.get();
            } catch (CallNotPermittedException open) {
                throw DeepgramException.transport(DeepgramException.Kind.CIRCUIT_OPEN,
                        "circuit breaker open after repeated Deepgram failures; failing fast for up to "
                                + settings.circuitOpenDuration().toSeconds() + " s", open);
            }
        });
    }

    private <T> T listenOnce(ListenRequest listen, Optional<String> callbackUrl, ApiKey key, Deadline deadline, CallStats stats,
                             SuccessReader<T> success) {
        Duration left = deadline.remaining().minus(DEADLINE_RESERVE);
        if (left.compareTo(MIN_ATTEMPT) < 0) {
            throw DeepgramException.transport(DeepgramException.Kind.DEADLINE_EXCEEDED,
                    "not sent: less than " + MIN_ATTEMPT.toSeconds() + " s before the Lambda deadline", null);
        }
        stats.attemptStarted(key.slot());
        HttpUrl.Builder url = settings.baseUrl().newBuilder().addPathSegments("v1/listen")
                .addQueryParameter("model", listen.model());
        listen.options().asList().forEach(o -> url.addQueryParameter(o.name(), o.value()));
        url.addQueryParameter("tag", listen.tag());
        callbackUrl.ifPresent(callback -> url.addQueryParameter("callback", callback).addQueryParameter("callback_method", "put"));
        boolean sentUrl = listen.audio() instanceof AudioBody.RemoteUrl;
        Request request = authorized(new Request.Builder().url(url.build()).post(bodyOf(listen.audio())), key).build();
        boolean shortened = left.compareTo(settings.requestTimeout()) < 0;
        return execute(request, shortened ? left : settings.requestTimeout(), sentUrl, shortened, stats, key, success);
    }

    /** Reads a 2xx body; an IOException it throws is the network's, as for the rest of the call. */
    @FunctionalInterface
    private interface SuccessReader<T> {
        T read(ResponseBody body) throws IOException;
    }

    /** @param shortened the timeout was cut to fit the Lambda deadline, so running out of it is not Deepgram's fault */
    private <T> T execute(Request request, Duration timeout, boolean sentUrl, boolean shortened, CallStats stats, ApiKey key,
                          SuccessReader<T> success) {
        Call call = http.newCall(request);
        call.timeout().timeout(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        try (Response response = call.execute()) {
            if (response.isSuccessful()) {
                return success.read(response.body());
            }
            if (response.code() == 429 && stats != null) {
                stats.rateLimited();
            }
            String body = readAtMost(response.body().source(), MAX_ERROR_BODY_BYTES).readUtf8();
            DeepgramException failure = ErrorResponse.toException(response.code(), body, response.header("Retry-After"), sentUrl);
            log.warn("Deepgram answered with an error", Map.of(
                    "status", response.code(),
                    "errorCode", failure.errorCode().orElse(""),
                    "deepgramRequestId", failure.requestId().orElse(""),
                    "keySlot", key.slot().name().toLowerCase(java.util.Locale.ROOT)));
            throw failure;
        } catch (IOException e) {
            if (request.body() instanceof StreamedBody audio && audio.uploading()) {
                throw DeepgramException.transport(DeepgramException.Kind.UPLOAD_STALLED, "the attempt ended while the audio was "
                        + "still being sent (" + e.getClass().getSimpleName() + "): our read of the source or our upload was "
                        + "too slow, which says nothing about Deepgram", e);
            }
            if (e instanceof InterruptedIOException) {
                throw DeepgramException.transport(shortened ? DeepgramException.Kind.DEADLINE_EXCEEDED : DeepgramException.Kind.TIMEOUT,
                        "no complete answer within " + timeout.toMillis() + " ms"
                                + (shortened ? ", all the time left before the Lambda deadline" : ""), e);
            }
            throw DeepgramException.transport(DeepgramException.Kind.CONNECTION,
                    e.getClass().getSimpleName() + ": " + ErrorResponse.sanitize(e.getMessage()), e);
        }
    }

    /**
     * A management answer or acknowledgement is held in memory, so it is bounded: past {@link #MAX_MANAGEMENT_BODY_BYTES}
     * it is refused rather than risking the container's memory.
     */
    private static String readManagementAnswer(ResponseBody body) throws IOException {
        long limit = MAX_MANAGEMENT_BODY_BYTES;
        Buffer kept = readAtMost(body.source(), limit + 1);
        if (kept.size() > limit) {
            throw DeepgramException.transport(DeepgramException.Kind.RESPONSE_TOO_LARGE, "Deepgram's answer is more than "
                    + limit + " bytes, the most an answer held in memory may be", null);
        }
        return kept.readUtf8();
    }

    /**
     * A callback job's acknowledgement, {@code {"request_id": ...}}: a few bytes, read in memory with
     * the management answers' bound. Like a transcript, a 2xx that is not a JSON object was paid for
     * and would come back the same, so it is {@code RESPONSE_UNREADABLE}.
     */
    private static JsonNode readAcknowledgement(ResponseBody body) throws IOException {
        String answer = readManagementAnswer(body);
        JsonNode acknowledgement;
        try {
            acknowledgement = JSON.readTree(answer);
        } catch (JsonProcessingException garbled) {
            throw ListenResponse.unreadable(garbled);
        }
        if (acknowledgement == null || !acknowledgement.isObject()) {
            throw ListenResponse.unreadable(null);
        }
        return acknowledgement;
    }

    private static Buffer readAtMost(BufferedSource source, long limit) throws IOException {
        Buffer kept = new Buffer();
        while (kept.size() < limit && source.read(kept, limit - kept.size()) != -1) {
            // keep reading up to the limit; whatever follows is left unread and the connection closed
        }
        return kept;
    }

    private static Request.Builder authorized(Request.Builder builder, ApiKey key) {
        return builder.header("Authorization", "Token " + key.value()).header("Accept", "application/json");
    }

    private static RequestBody bodyOf(AudioBody audio) {
        if (audio instanceof AudioBody.RemoteUrl remote) {
            return RequestBody.create(JSON.createObjectNode().put("url", remote.url()).toString(), JSON_TYPE);
        }
        return new StreamedBody((AudioBody.Streamed) audio);
    }


    /**
     * Copies the audio stream into the socket through Okio's small segment buffers: constant memory.
     * Knows whether it got to the end, so a failure while still uploading is not blamed on Deepgram.
     */
    private static final class StreamedBody extends RequestBody {
        private final AudioBody.Streamed audio;
        private volatile boolean started;
        private volatile boolean sent;

        StreamedBody(AudioBody.Streamed audio) {
            this.audio = audio;
        }

        /** Some audio went out and not all of it: the attempt is in our upload phase. */
        boolean uploading() {
            return started && !sent;
        }

        @Override
        public MediaType contentType() {
            return MediaType.parse(audio.contentType());
        }

        @Override
        public long contentLength() {
            return audio.contentLength();
        }

        /** A stream cannot be replayed by OkHttp itself; our retries reopen it instead. */
        @Override
        public boolean isOneShot() {
            return true;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            started = true;
            try (InputStream in = audio.opener().open(); Source source = Okio.source(in)) {
                sink.writeAll(source);
                sink.flush();
            }
            sent = true;
        }
    }
}
