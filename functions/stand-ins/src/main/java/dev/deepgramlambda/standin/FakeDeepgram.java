package dev.deepgramlambda.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSource;
import okio.ByteString;

/**
 * A stand-in for Deepgram on loopback, built on OkHttp's MockWebServer, speaking Deepgram's wire
 * format. Scripted responses ({@link #enqueue}) are served first, in order; otherwise it behaves
 * like Deepgram: checks {@code Authorization: Token <key>}, really downloads a {@code {"url": ...}}
 * body (so a presigned S3 URL is proven to work), rejects bodies that are not audio, and answers
 * with a recorded Deepgram response.
 */
public final class FakeDeepgram implements AutoCloseable {
    public static final String VALID_KEY = "dg-test-key-primary";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Request bodies beyond this are counted but not kept, so streaming tests stay small in memory. */
    private static final long KEPT_BODY_BYTES = 64 * 1024;

    private final MockWebServer server = new MockWebServer();
    private final ConcurrentLinkedQueue<MockResponse> scripted = new ConcurrentLinkedQueue<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final OkHttpClient fetcher = new OkHttpClient();
    private volatile Set<String> validKeys = Set.of(VALID_KEY);
    private volatile String transcriptResource = "deepgram/listen-nova3-smartformat-file-preamble.json";
    private final CallbackSender callbacks = new CallbackSender();
    private volatile Duration processingTime = Duration.ZERO;
    private volatile CallbackResult callbackResult = CallbackResult.TRANSCRIPT;
    private volatile int deliveriesPerJob = 1;
    private volatile int concurrencyLimit = Integer.MAX_VALUE;
    private final AtomicInteger jobsInFlight = new AtomicInteger();
    private final AtomicInteger peakJobsInFlight = new AtomicInteger();
    private final AtomicInteger rateLimited = new AtomicInteger();
    private final AtomicInteger acceptedJobs = new AtomicInteger();
    private final ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    /** What a callback carries once the job is done. */
    public enum CallbackResult {
        /** The recorded transcript, with this job's request id in {@code metadata.request_id}. */
        TRANSCRIPT,
        /** An error body in Deepgram's {@code err_code}/{@code err_msg} shape. */
        ERROR,
        /** Nothing is ever sent: an outage on Deepgram's side. */
        NEVER,
        /**
         * The transcript, held until {@link #releaseHeldCallbacks()}: a job that takes as long as the
         * test says, ten minutes by a manual clock, without the test waiting for it.
         */
        HELD
    }

    public FakeDeepgram() {
        server.setBodyLimit(KEPT_BODY_BYTES);
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                requests.add(request);
                MockResponse next = scripted.poll();
                return next != null ? next : behave(request);
            }
        });
        try {
            server.start(java.net.InetAddress.getLoopbackAddress(), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL to put in {@code DEEPGRAM_BASE_URL}. */
    public String baseUrl() {
        String url = server.url("/").toString();
        return url.substring(0, url.length() - 1);
    }

    public FakeDeepgram acceptKeys(String... keys) {
        validKeys = Set.copyOf(Arrays.asList(keys));
        return this;
    }

    /** Which recorded Deepgram response a successful transcription returns. */
    public FakeDeepgram respondWith(String resource) {
        transcriptResource = resource;
        return this;
    }

    /**
     * How long each job takes: a synchronous request is answered after it, a callback job's result
     * is sent after it.
     */
    public FakeDeepgram processingTime(Duration time) {
        processingTime = time;
        return this;
    }

    /** What callbacks carry, and how often each is sent (Deepgram may deliver one result twice). */
    public FakeDeepgram callbacks(CallbackResult result, int deliveriesPerJob) {
        this.callbackResult = result;
        this.deliveriesPerJob = deliveriesPerJob;
        return this;
    }

    /** Time between a callback's retries after a non-2xx answer (Deepgram: 30 s), and the clock that judges URL expiry. */
    public FakeDeepgram callbackRetries(Duration interval, java.time.Clock clock) {
        callbacks.retryInterval = interval;
        callbacks.clock = clock;
        return this;
    }

    /** Deepgram's per-project concurrency limit: a job beyond it is answered 429. */
    public FakeDeepgram concurrencyLimit(int limit) {
        concurrencyLimit = limit;
        return this;
    }

    /** Sends every held callback now, in the order the jobs were accepted. */
    public void releaseHeldCallbacks() {
        Runnable next;
        while ((next = held.poll()) != null) {
            next.run();
        }
    }

    /** Every try to deliver a callback so far, in order. */
    public List<CallbackSender.Delivery> callbackDeliveries() {
        return callbacks.deliveries();
    }

    /** The most jobs (synchronous requests and callback jobs) in flight at once so far. */
    public int peakJobsInFlight() {
        return peakJobsInFlight.get();
    }

    /** Jobs accepted for processing (every transcription request that was not refused). */
    public int acceptedJobs() {
        return acceptedJobs.get();
    }

    /** 429 answers given for the concurrency limit. */
    public int rateLimitedCount() {
        return rateLimited.get();
    }

    /** Serves {@code response} to the next request, before any default behaviour. */
    public FakeDeepgram enqueue(MockResponse response) {
        scripted.add(response);
        return this;
    }

    public static MockResponse json(int status, String body) {
        return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json").body(body).build();
    }

    public static MockResponse fixture(int status, String resource) {
        return json(status, Resources.text(resource));
    }

    /** Every request received so far, in order. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** Distinct TCP connections that carried the requests so far. */
    public long connectionCount() {
        return requests.stream().mapToInt(RecordedRequest::getConnectionIndex).distinct().count();
    }

    public RecordedRequest takeRequest() {
        try {
            RecordedRequest request = server.takeRequest(10, TimeUnit.SECONDS);
            if (request == null) {
                throw new AssertionError("Deepgram received no request within 10 s");
            }
            return request;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private MockResponse behave(RecordedRequest request) {
        String auth = request.getHeaders().get("Authorization");
        if (auth == null || !auth.startsWith("Token ") || !validKeys.contains(auth.substring("Token ".length()))) {
            return fixture(401, "deepgram/error-401-invalid-auth.docs-example.json");
        }
        String path = request.getUrl().encodedPath();
        if (path.equals("/v1/projects") && "GET".equals(request.getMethod())) {
            return json(200, "{\"projects\":[{\"project_id\":\"proj-test\",\"name\":\"Test project\"}]}");
        }
        if (!path.equals("/v1/listen") || !"POST".equals(request.getMethod())) {
            return json(404, "{\"err_code\":\"NOT_FOUND\",\"err_msg\":\"Not found.\"}");
        }
        String contentType = String.valueOf(request.getHeaders().get("Content-Type"));
        ByteString audio;
        if (contentType.startsWith("application/json")) {
            audio = fetchRemote(request.getBody());
            if (audio == null) {
                return json(400, "{\"err_code\":\"REMOTE_CONTENT_ERROR\",\"err_msg\":\"Could not fetch the remote content at the URL provided.\",\"request_id\":\"fake-remote-error\"}");
            }
        } else {
            audio = request.getBody();
        }
        if (audio == null || !looksLikeAudio(audio)) {
            return fixture(400, "deepgram/error-400-corrupt-or-unsupported-audio.docs-example.json");
        }
        if (!admit()) {
            rateLimited.incrementAndGet();
            return json(429, "{\"err_code\":\"TOO_MANY_REQUESTS\",\"err_msg\":\"Too many requests. Please try again later\",\"request_id\":\"fake-429\"}");
        }
        String callback = request.getUrl().queryParameter("callback");
        if (callback != null) {
            return acceptCallbackJob(callback, CallbackSender.methodOf(request.getUrl().queryParameter("callback_method")));
        }
        try {
            // Waits out the processing time, or less when the stand-in closes: MockWebServer's close waits for answers.
            closing.await(processingTime.toMillis(), TimeUnit.MILLISECONDS);
            return fixture(200, transcriptResource);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return json(500, "{\"err_code\":\"INTERRUPTED\"}");
        } finally {
            jobsInFlight.decrementAndGet();
        }
    }

    private boolean admit() {
        while (true) {
            int now = jobsInFlight.get();
            if (now >= concurrencyLimit) {
                return false;
            }
            if (jobsInFlight.compareAndSet(now, now + 1)) {
                peakJobsInFlight.accumulateAndGet(now + 1, Math::max);
                acceptedJobs.incrementAndGet();
                return true;
            }
        }
    }

    /** Deepgram's callback mode: the request id now, the result later from another thread. */
    private MockResponse acceptCallbackJob(String url, String method) {
        String requestId = UUID.randomUUID().toString();
        CallbackResult result = callbackResult;
        if (result == CallbackResult.NEVER) {
            jobsInFlight.decrementAndGet();
            return json(200, "{\"request_id\":\"" + requestId + "\"}");
        }
        String body = result == CallbackResult.ERROR
                ? "{\"err_code\":\"INTERNAL_SERVER_ERROR\",\"err_msg\":\"Processing failed.\",\"request_id\":\"" + requestId + "\"}"
                : withRequestId(Resources.text(transcriptResource), requestId);
        // The job counts as in flight until its result is handed over, as Deepgram's concurrency limit does.
        AtomicInteger left = new AtomicInteger(deliveriesPerJob);
        for (int i = 0; i < deliveriesPerJob; i++) {
            Duration delay = processingTime.plusMillis(50L * i);
            Runnable send = () -> callbacks.send(requestId, url, method, body, delay, () -> {
                if (left.decrementAndGet() == 0) {
                    jobsInFlight.decrementAndGet();
                }
            });
            if (result == CallbackResult.HELD) {
                held.add(send);
            } else {
                send.run();
            }
        }
        return json(200, "{\"request_id\":\"" + requestId + "\"}");
    }

    private static String withRequestId(String transcript, String requestId) {
        try {
            ObjectNode tree = (ObjectNode) JSON.readTree(transcript);
            ((ObjectNode) tree.path("metadata")).put("request_id", requestId);
            return JSON.writeValueAsString(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ByteString fetchRemote(ByteString body) {
        try {
            JsonNode json = JSON.readTree(body.utf8());
            Request get = new Request.Builder().url(json.path("url").asText()).build();
            try (Response response = fetcher.newCall(get).execute()) {
                if (!response.isSuccessful()) {
                    return null;
                }
                BufferedSource source = response.body().source();
                Buffer kept = new Buffer();
                while (kept.size() < KEPT_BODY_BYTES && source.read(kept, KEPT_BODY_BYTES - kept.size()) != -1) {
                    // keep the head for the audio check
                }
                Buffer discard = new Buffer();
                while (source.read(discard, 8192) != -1) {
                    discard.clear();
                }
                return kept.readByteString();
            }
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Container magic numbers Deepgram would recognise: WAV, FLAC, Ogg, MP3 (ID3 or frame sync), MP4. */
    private static boolean looksLikeAudio(ByteString bytes) {
        if (bytes.size() < 12) {
            return false;
        }
        return bytes.rangeEquals(0, ByteString.encodeUtf8("RIFF"), 0, 4)
                || bytes.rangeEquals(0, ByteString.encodeUtf8("fLaC"), 0, 4)
                || bytes.rangeEquals(0, ByteString.encodeUtf8("OggS"), 0, 4)
                || bytes.rangeEquals(0, ByteString.encodeUtf8("ID3"), 0, 3)
                || bytes.rangeEquals(4, ByteString.encodeUtf8("ftyp"), 0, 4)
                || ((bytes.getByte(0) & 0xFF) == 0xFF && (bytes.getByte(1) & 0xE0) == 0xE0);
    }

    @Override
    public void close() {
        closing.countDown();
        callbacks.close();
        server.close();
    }
}
