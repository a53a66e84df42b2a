package dev.deepgramlambda.cli.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Lambda Runtime API (version 2018-06-01) for one execution environment, on a free loopback
 * port: what {@code AWS_LAMBDA_RUNTIME_API} points the runtime interface client at. The runtime
 * long-polls {@code GET /runtime/invocation/next}; an event handed out there is answered by
 * {@code POST /runtime/invocation/{id}/response} or {@code .../error}; a function that cannot even
 * start posts {@code /runtime/init/error}. Status codes and headers follow the Runtime API reference.
 */
final class RuntimeApiServer implements AutoCloseable {
    static final String REQUEST_ID = "Lambda-Runtime-Aws-Request-Id";
    static final String DEADLINE_MS = "Lambda-Runtime-Deadline-Ms";
    static final String FUNCTION_ARN = "Lambda-Runtime-Invoked-Function-Arn";
    static final String TRACE_ID = "Lambda-Runtime-Trace-Id";
    static final String ERROR_TYPE = "Lambda-Runtime-Function-Error-Type";
    /** Lambda's limit for a synchronous response payload. */
    static final int MAX_RESPONSE_BYTES = 6 * 1024 * 1024;

    private static final String BASE = "/2018-06-01/runtime";
    private static final Pattern INVOCATION_RESULT = Pattern.compile(BASE + "/invocation/([^/]+)/(response|error)");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpServer server;
    private final ExecutorService workers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "runtime-api");
        thread.setDaemon(true);
        return thread;
    });
    private final String functionArn;
    private final Duration timeout;
    private final BlockingQueue<Pending> queued = new LinkedBlockingQueue<>();
    private final Map<String, Pending> inFlight = new ConcurrentHashMap<>();
    private final CompletableFuture<Long> firstPollNanos = new CompletableFuture<>();
    private final CompletableFuture<String> initError = new CompletableFuture<>();
    private volatile boolean closed;

    /** An event waiting for, or being processed by, the runtime. */
    private static final class Pending {
        final String requestId = UUID.randomUUID().toString();
        final byte[] event;
        final CompletableFuture<InvocationResult> result = new CompletableFuture<>();
        volatile long handedOutNanos;

        Pending(byte[] event) {
            this.event = event;
        }
    }

    private RuntimeApiServer(String functionArn, Duration timeout) {
        this.functionArn = functionArn;
        this.timeout = timeout;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the Runtime API port on loopback", e);
        }
        server.setExecutor(workers);
        server.createContext(BASE + "/", this::route);
        server.start();
    }

    static RuntimeApiServer start(String functionArn, Duration timeout) {
        return new RuntimeApiServer(functionArn, timeout);
    }

    /** {@code host:port}, the value of {@code AWS_LAMBDA_RUNTIME_API}. */
    String address() {
        InetSocketAddress address = server.getAddress();
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** Completes with {@link System#nanoTime()} of the runtime's first poll: the end of the init phase. */
    CompletableFuture<Long> firstPoll() {
        return firstPollNanos;
    }

    /** Completes with the body the runtime posted to {@code /init/error}. */
    CompletableFuture<String> initError() {
        return initError;
    }

    /** Queues {@code event} for the runtime's next poll; the future completes with its answer. */
    CompletableFuture<InvocationResult> submit(byte[] event) {
        Pending pending = new Pending(event);
        queued.add(pending);
        return pending.result;
    }

    private void route(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            Matcher result = INVOCATION_RESULT.matcher(path);
            if (path.equals(BASE + "/invocation/next") && method.equals("GET")) {
                next(exchange);
            } else if (result.matches() && method.equals("POST")) {
                complete(exchange, result.group(1), result.group(2).equals("response"));
            } else if (path.equals(BASE + "/init/error") && method.equals("POST")) {
                initError.complete(readBody(exchange.getRequestBody(), MAX_RESPONSE_BYTES));
                reply(exchange, 202, "{\"status\":\"OK\"}");
            } else {
                reply(exchange, 404, error("UnknownPath", "no Runtime API resource " + method + " " + path));
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        firstPollNanos.complete(System.nanoTime());
        Pending pending = awaitEvent();
        if (pending == null) {
            reply(exchange, 500, error("Shutdown", "the execution environment is shutting down"));
            return;
        }
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        inFlight.put(pending.requestId, pending);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set(REQUEST_ID, pending.requestId);
        exchange.getResponseHeaders().set(DEADLINE_MS, Long.toString(deadline));
        exchange.getResponseHeaders().set(FUNCTION_ARN, functionArn);
        exchange.getResponseHeaders().set(TRACE_ID, traceId());
        pending.handedOutNanos = System.nanoTime();
        exchange.sendResponseHeaders(200, pending.event.length);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(pending.event);
        }
    }

    private Pending awaitEvent() {
        try {
            while (!closed) {
                Pending pending = queued.poll(200, TimeUnit.MILLISECONDS);
                if (pending != null) {
                    return pending;
                }
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void complete(HttpExchange exchange, String requestId, boolean success) throws IOException {
        Pending pending = inFlight.remove(requestId);
        if (pending == null) {
            reply(exchange, 400, error("InvalidRequestID", "no invocation in flight with request id " + requestId));
            return;
        }
        long elapsed = System.nanoTime() - pending.handedOutNanos;
        String body = readBody(exchange.getRequestBody(), MAX_RESPONSE_BYTES);
        if (body == null) {
            reply(exchange, 413, error("RequestEntityTooLarge", "response payload larger than " + MAX_RESPONSE_BYTES + " bytes"));
            pending.result.complete(InvocationResult.error(requestId, "Function.ResponseSizeTooLarge",
                    "response payload larger than " + MAX_RESPONSE_BYTES + " bytes", Duration.ofNanos(elapsed)));
            return;
        }
        reply(exchange, 202, "{\"status\":\"OK\"}");
        pending.result.complete(success
                ? InvocationResult.success(requestId, body, Duration.ofNanos(elapsed))
                : InvocationResult.error(requestId, exchange.getRequestHeaders().getFirst(ERROR_TYPE), body, Duration.ofNanos(elapsed)));
    }

    /** The body as UTF-8, or null when it is longer than {@code limit} bytes. */
    private static String readBody(InputStream in, int limit) throws IOException {
        byte[] bytes = in.readNBytes(limit + 1);
        return bytes.length > limit ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(bytes);
        }
    }

    private static String error(String type, String message) {
        return "{\"errorType\":\"" + type + "\",\"errorMessage\":\"" + message.replace("\"", "'") + "\"}";
    }

    /** An X-Ray trace header as Lambda passes it: a new root, a parent segment, not sampled. */
    private static String traceId() {
        byte[] random = new byte[20];
        RANDOM.nextBytes(random);
        String hex = HexFormat.of().formatHex(random);
        return "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-" + hex.substring(0, 24)
                + ";Parent=" + hex.substring(24, 40) + ";Sampled=0";
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        workers.shutdownNow();
    }
}
